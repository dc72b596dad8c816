/**
 * GET /export/statistics.csv — the `statistics` query's figures as CSV (`figure, value`), with the same
 * filter, the same scope and the same refusals; logged like every export (src/export).
 */
import { refuse, registerExport, ExportRefusal } from '../export/registry';
import { figureRows, single } from '../export/figures';
import { computeFigures, PeriodBucket } from './figures';
import { StatisticsForbidden, StatisticsInvalid } from './sql';
import { figureFilterOf } from './statistics.filter';

const PARAMETERS = new Set(['from', 'to', 'departmentId', 'serviceType', 'customerId', 'technicianId', 'bucket']);

function instant(raw: string | undefined, name: string): Date | undefined {
  if (raw === undefined) return undefined;
  const at = new Date(raw);
  // an instant with its offset, as the statistics query's DateTimeISO takes it: a bare date would silently mean UTC midnight
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(raw) || Number.isNaN(at.getTime())) {
    refuse(`${name} must be an ISO 8601 instant with its offset, e.g. 2026-03-01T00:00:00+08:00.`, name);
  }
  return at;
}

registerExport('statistics', {
  description: 'the KPIs of SPEC §8 for a period (figure, value), scoped like the statistics query: from, to, departmentId, serviceType, customerId (repeatable), technicianId, bucket',
  async open({ caller, params, ctx }) {
    for (const name of params.keys()) if (!PARAMETERS.has(name)) refuse(`unknown parameter ${name}; the statistics export takes ${[...PARAMETERS].join(', ')}.`, name);
    const bucket = single(params, 'bucket', refuse) ?? PeriodBucket.MONTH;
    if (!Object.values(PeriodBucket).includes(bucket as PeriodBucket)) refuse(`bucket must be one of ${Object.values(PeriodBucket).join(', ')}.`, 'bucket');
    try {
      const filter = await figureFilterOf(ctx, {
        from: instant(single(params, 'from', refuse), 'from'),
        to: instant(single(params, 'to', refuse), 'to'),
        departmentId: single(params, 'departmentId', refuse),
        serviceType: single(params, 'serviceType', refuse),
        customerIds: params.getAll('customerId').length ? params.getAll('customerId') : undefined,
        technicianId: single(params, 'technicianId', refuse),
      });
      const figures = await computeFigures(ctx.dataSource.manager, caller, filter, { bucket: bucket as PeriodBucket, timezone: ctx.config.timezone });
      return { columns: ['figure', 'value'], rows: figureRows(figures) };
    } catch (error) {
      if (error instanceof StatisticsForbidden) throw new ExportRefusal(error.message, null, 'FORBIDDEN');
      if (error instanceof StatisticsInvalid) throw new ExportRefusal(error.message, error.field.replace(/^filter\./, '').replace(/^customerIds\.\d+$/, 'customerId'));
      throw error;
    }
  },
});
