import { createHmac } from 'node:crypto';
import { backoffMs } from '../../src/jobs/webhooks/delivery';
import { newWebhookSecret, signatureHeader, verify } from '../../src/jobs/webhooks/signature';

describe('webhook signatures', () => {
  const secret = newWebhookSecret();
  const body = JSON.stringify({ id: '42', type: 'ServiceRequest.SUBMIT' });
  const ts = 1_800_000_000;

  test('v1 = hex HMAC-SHA256 of `${timestamp}.${body}` keyed with the whole secret', () => {
    expect(signatureHeader([secret], ts, body)).toBe(`v1=${createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex')}`);
  });

  test('verify: the right secret within the tolerance; not another secret, another body, or an old timestamp', () => {
    const header = signatureHeader([newWebhookSecret(), secret], ts, body);
    expect(verify(secret, header, String(ts), body, ts + 10)).toBe(true);
    expect(verify(newWebhookSecret(), header, String(ts), body, ts)).toBe(false);
    expect(verify(secret, header, String(ts), body + ' ', ts)).toBe(false);
    expect(verify(secret, header, String(ts), body, ts + 301)).toBe(false);
    expect(verify(secret, 'v1=zz', String(ts), body, ts)).toBe(false);
  });

  test('backoff doubles from the base, capped', () => {
    const config = { maxAttempts: 8, backoffMs: 1000, maxBackoffMs: 5000, timeoutMs: 5000 };
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(config, n))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});
