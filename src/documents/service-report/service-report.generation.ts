/**
 * The scheduled monthly generation (seed 002 §4.7: 按月度…形成售後服務情況報表): on the first of each month the
 * system draws up last month's MONTHLY report for every active department that has an active supervisor to
 * review it, through the machine's CREATE (so its figures are frozen then). Idempotent per department and
 * period: a department that already has that report (drawn up by hand, or by an earlier or concurrent run) is
 * skipped by the machine's own uniqueness guard, judged under the creation's advisory lock.
 */
import type { DataSource } from 'typeorm';
import { toGlobalId } from '../../graphql/global-id';
import { businessTimezone } from '../../time/working-days';
import type { WorkflowEngine } from '../../workflow/engine';
import { Refusal } from '../../workflow/errors';
import { ServiceReportKind } from './service-report.enums';
import { serviceReportDefinition } from './service-report.definition';
import { previousMonth } from './service-report.period';

export interface GenerationResult {
  year: number;
  month: number;
  created: number;
  skipped: number;
}

export async function generateMonthlyReports(dataSource: DataSource, engine: WorkflowEngine, now: Date, timezone = businessTimezone()): Promise<GenerationResult> {
  const { year, month } = previousMonth(now, timezone);
  const departments: Array<{ id: string }> = await dataSource.query(
    `SELECT d.id FROM department d
      WHERE d.active AND EXISTS (SELECT 1 FROM app_user u WHERE u.department_id = d.id AND u.active AND 'SUPERVISOR' = ANY(u.roles))
      ORDER BY d.code`,
  );
  let created = 0;
  let skipped = 0;
  for (const { id } of departments) {
    const input = { kind: ServiceReportKind.MONTHLY, departmentId: toGlobalId('Department', id), year, month };
    try {
      await engine.transaction((manager) => engine.openSystem(manager, serviceReportDefinition, input, { requestId: 'monthly-service-reports', idempotencyKey: null }));
      created++;
    } catch (error) {
      // the department has this month's report already (the uniqueness guard): nothing to do
      if (!(error instanceof Refusal)) throw error;
      skipped++;
    }
  }
  return { year, month, created, skipped };
}
