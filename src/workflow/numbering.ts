import { EntityManager } from 'typeorm';

/** Business-calendar year of a moment (document numbers restart each year). */
export function businessYear(at: Date, timezone = process.env.BUSINESS_TIMEZONE || 'Asia/Shanghai'): number {
  return Number(new Intl.DateTimeFormat('en', { timeZone: timezone, year: 'numeric' }).format(at));
}

/**
 * SR-2026-000123: one counter row per prefix and year, bumped in the
 * creating transaction (the row lock makes concurrent creations queue, and a
 * rolled-back creation gives its number back).
 */
export async function nextDocumentNumber(manager: EntityManager, prefix: string, at: Date): Promise<string> {
  const year = businessYear(at);
  const rows: Array<{ last: number }> = await manager.query(
    `INSERT INTO document_counter (prefix, year, last) VALUES ($1, $2, 1)
     ON CONFLICT (prefix, year) DO UPDATE SET last = document_counter.last + 1
     RETURNING last`,
    [prefix, year],
  );
  return `${prefix}-${year}-${String(rows[0].last).padStart(6, '0')}`;
}
