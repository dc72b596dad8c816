/**
 * For the TypeORM CLI: `DATABASE_URL=… npx typeorm-ts-node-commonjs -d ormconfig.ts migration:show`.
 * Without DATABASE_URL: the embedded server of `npm start` (its generated superuser password is in data/db-passwords.json).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createDataSource } from './src/db/data-source';
import { PASSWORD_FILE } from './src/db/passwords';

function embeddedUrl(): string {
  const dataDir = path.resolve(process.env.DATA_DIR || 'data');
  const file = path.join(dataDir, PASSWORD_FILE);
  const password = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>).postgres : 'postgres';
  return `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${process.env.EMBEDDED_PG_PORT || 54329}/postgres`;
}

export default createDataSource(process.env.DATABASE_URL ?? embeddedUrl(), { role: null });
