/**
 * The monthly processing of returned old parts (seed 003 §3.7.5: 每月及時處理更換後的舊件; §3.8: 認真做好二次索賠工作).
 * On the first of each month the system gathers every old part the store received before that month began and
 * that no batch holds yet into last month's batch, and draws up a supplier claim (through the machine's CREATE)
 * for each department and supplier whose warranty covers some of them.
 *
 * Once per month: the whole run is one transaction under an advisory lock on the month; a second run (at the
 * same time, in another process, or later) waits for the first and then finds the month's batch and makes
 * nothing. Unique indexes back it: one batch per month, an old part in one batch, one claim per month,
 * department and supplier. The requisitions are read with SQL (no import of their folder).
 */
import type { DataSource } from 'typeorm';
import { businessTimezone } from '../../time/working-days';
import type { WorkflowEngine } from '../../workflow/engine';
import { supplierClaimDefinition } from './supplier-claim.definition';

export interface OldPartProcessingResult {
  /** the month processed, YYYY-MM-01 */
  periodFrom: string;
  /** false when the month had been processed already */
  processed: boolean;
  items: number;
  claims: number;
}

export async function processOldParts(dataSource: DataSource, engine: WorkflowEngine, now: Date, timezone = businessTimezone()): Promise<OldPartProcessingResult> {
  return engine.transaction(async (manager) => {
    // last month in the business timezone, and the instant this month began there
    const [{ period_from: periodFrom, month_end: monthEnd }] = await manager.query(
      `SELECT to_char(date_trunc('month', $1::timestamptz AT TIME ZONE $2) - interval '1 month', 'YYYY-MM-DD') AS period_from,
              (date_trunc('month', $1::timestamptz AT TIME ZONE $2) AT TIME ZONE $2) AS month_end`,
      [now, timezone],
    );
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`OldPartBatch:${periodFrom}`]);
    const [done] = await manager.query(`SELECT 1 FROM old_part_batch WHERE period_from = $1`, [periodFrom]);
    if (done) return { periodFrom, processed: false, items: 0, claims: 0 };

    const [batch]: Array<{ id: string }> = await manager.query(`INSERT INTO old_part_batch (period_from, processed_at, item_count, claim_count) VALUES ($1, $2, 0, 0) RETURNING id`, [periodFrom, now]);
    // every received old part not yet processed: the month's, and any received earlier that no batch took
    const items: Array<{ n: number }> = await manager.query(
      `INSERT INTO old_part_batch_item (batch_id, requisition_id, requisition_number, line, department_id, part_number, part_name, quantity, unit_cost, under_warranty, received_at, supplier, supplier_warranty)
       SELECT $1, pr.id, pr.number, e.n, pr.department_id, e.l->>'partNumber', e.l->>'partName', (e.l->>'quantity')::int, (e.l->>'unitCost')::numeric,
              coalesce((e.l->>'underWarranty')::boolean, false), (e.l->>'oldPartReceivedAt')::timestamptz, nullif(btrim(e.l->>'supplier'), ''),
              coalesce((e.l->>'supplierWarranty')::boolean, false)
         FROM parts_requisition pr
        CROSS JOIN LATERAL jsonb_array_elements(pr.lines) WITH ORDINALITY AS e(l, n)
        WHERE e.l->>'oldPartReceivedAt' IS NOT NULL AND (e.l->>'oldPartReceivedAt')::timestamptz < $2
          AND NOT EXISTS (SELECT 1 FROM old_part_batch_item i WHERE i.requisition_id = pr.id AND i.line = e.n)
       RETURNING 1 AS n`,
      [batch.id, monthEnd],
    );
    const groups: Array<{ department_id: string; supplier: string }> = await manager.query(
      `SELECT department_id, min(btrim(supplier)) AS supplier FROM old_part_batch_item
        WHERE batch_id = $1 AND supplier_warranty AND supplier IS NOT NULL
        GROUP BY department_id, lower(btrim(supplier)) ORDER BY department_id, lower(btrim(supplier))`,
      [batch.id],
    );
    for (const g of groups) {
      const claim = await engine.openSystem(manager, supplierClaimDefinition, { batchId: batch.id, periodFrom, departmentId: g.department_id, supplier: g.supplier }, { requestId: 'monthly-old-parts', idempotencyKey: null });
      await manager.query(
        `UPDATE old_part_batch_item SET claim_id = $1 WHERE batch_id = $2 AND department_id = $3 AND supplier_warranty AND lower(btrim(supplier)) = $4 AND claim_id IS NULL`,
        [claim.id, batch.id, g.department_id, claim.supplierKey],
      );
    }
    await manager.query(`UPDATE old_part_batch SET item_count = $2, claim_count = $3 WHERE id = $1`, [batch.id, items.length, groups.length]);
    return { periodFrom, processed: true, items: items.length, claims: groups.length };
  });
}
