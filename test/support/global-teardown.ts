import fs from 'node:fs';
import type { EmbeddedPostgres } from '../../src/db/embedded';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as Record<string, unknown>).__SDD_PG__ as { pg: EmbeddedPostgres; dir: string } | undefined;
  if (!handle) return;
  await handle.pg.stop();
  fs.rmSync(handle.dir, { recursive: true, force: true });
}
