import type { EntityManager } from 'typeorm';

/**
 * The rows of an UPDATE or DELETE … RETURNING. TypeORM's PostgreSQL driver answers those with [rows, rowCount]
 * (a SELECT or INSERT answers the rows alone): reading the pair as rows answered "2 rows" for none and undefined
 * columns for one — three mutations got that wrong before this helper.
 */
export async function changedRows<T>(manager: Pick<EntityManager, 'query'>, sql: string, params: unknown[]): Promise<T[]> {
  if (!/^\s*(UPDATE|DELETE)\b/i.test(sql) || !/\bRETURNING\b/i.test(sql)) throw new Error('changedRows is for UPDATE or DELETE … RETURNING');
  const [rows] = (await manager.query(sql, params)) as [T[], number];
  return rows;
}
