/**
 * How a webhook is signed, in one place (the README shows a receiver's side of it).
 *
 * Like Stripe's: HMAC-SHA256 keyed with the endpoint's secret (the whole `whsec_…` string, as UTF-8) over
 * `${timestamp}.${body}`, where timestamp is the Webhook-Timestamp header (Unix seconds) and body the exact
 * bytes sent. Hex-encoded, labelled with the scheme's version: `Webhook-Signature: v1=<hex>`. While a
 * rotated secret is still in its overlap window the header carries one signature per secret, separated by
 * spaces (newest first); a receiver accepts the request when any of them verifies.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_VERSION = 'v1';

/** a new secret: 32 random bytes, base64url, with a prefix that makes a leaked one easy to recognise */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export function sign(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** the Webhook-Signature header for these secrets (current first) */
export const signatureHeader = (secrets: string[], timestamp: number, body: string): string => secrets.map((s) => `${SIGNATURE_VERSION}=${sign(s, timestamp, body)}`).join(' ');

/** a receiver's check: some v1 signature of the header matches, and the timestamp is within `toleranceSeconds` of now */
export function verify(secret: string, header: string, timestamp: string, body: string, nowSeconds = Math.floor(Date.now() / 1000), toleranceSeconds = 300): boolean {
  const ts = Number(timestamp);
  if (!Number.isInteger(ts) || Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, ts, body), 'hex');
  return header.split(' ').some((part) => {
    const [version, hex] = part.split('=');
    if (version !== SIGNATURE_VERSION || !/^[0-9a-f]{64}$/.test(hex ?? '')) return false;
    return timingSafeEqual(Buffer.from(hex, 'hex'), expected);
  });
}
