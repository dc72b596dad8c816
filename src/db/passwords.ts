/**
 * Generated database passwords kept in the data directory (embedded server
 * only): `<DATA_DIR>/db-passwords.json`, mode 0600, created on first start
 * and reused on every later one. It holds the embedded superuser's password
 * and the API login's (see api-login.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

export const PASSWORD_FILE = 'db-passwords.json';

/** 32 URL-safe characters (192 bits): no escaping needed in a connection URL */
export function generatePassword(): string {
  return randomBytes(24).toString('base64url');
}

function read(file: string): Record<string, string> {
  if (!fs.existsSync(file)) return {};
  // a file copied around with a looser mode is tightened before it is trusted again
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error(`${file} is not a JSON object of passwords`);
  return parsed as Record<string, string>;
}

/** The stored password of each name, generating (and storing, 0600) the missing ones. */
export function storedPasswords<K extends string>(dataDir: string, names: readonly K[]): { passwords: Record<K, string>; created: K[] } {
  const file = path.join(dataDir, PASSWORD_FILE);
  const stored = read(file);
  const created = names.filter((n) => typeof stored[n] !== 'string' || stored[n].length === 0);
  if (created.length) {
    for (const n of created) stored[n] = generatePassword();
    fs.mkdirSync(dataDir, { recursive: true });
    // written whole to a private temporary file, then renamed: never a half-written or world-readable file
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(stored, null, 2) + '\n', { mode: 0o600 });
    fs.chmodSync(tmp, 0o600);
    fs.renameSync(tmp, file);
  }
  return { passwords: Object.fromEntries(names.map((n) => [n, stored[n]])) as Record<K, string>, created };
}

/**
 * A SCRAM-SHA-256 verifier, so the cleartext password never reaches the server
 * (its log, pg_stat_statements). Printable ASCII only: other passwords would need
 * SASLprep, and are handed to the server to hash (null).
 */
export function scramVerifier(password: string, iterations = 4096): string | null {
  if (!/^[\x21-\x7e]+$/.test(password)) return null;
  const salt = randomBytes(16);
  const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
