/**
 * GET /export/service-report.csv?id=<report> — one report as CSV: its heading (number, kind, period,
 * department, state) and its frozen figures (`figure, value`), or a plan's items. Read through the caller's
 * scope like `serviceReport(id)`: a report outside it is NOT_FOUND, as in GraphQL.
 */
import { figureRows, single } from '../../export/figures';
import { ExportRefusal, refuse, registerExport } from '../../export/registry';
import { idOf } from '../../graphql/global-id';
import { serviceReportDefinition } from './service-report.definition';
import type { ServiceReport } from './service-report.entity';

registerExport('service-report', {
  description: 'one periodic service report or plan: its heading and frozen figures (figure, value); id = the report\'s id',
  async open({ params, ctx }) {
    for (const name of params.keys()) if (name !== 'id') refuse(`unknown parameter ${name}; the service-report export takes id.`, name);
    const globalId = single(params, 'id', refuse) ?? refuse('id is required: the report to export.', 'id');
    const id = idOf(globalId, 'ServiceReport') ?? refuse('id must be the id of a ServiceReport.', 'id');
    const report = await ctx.loaders.document<ServiceReport>(serviceReportDefinition).load(id);
    if (!report) throw new ExportRefusal('No service report with this id.', 'id', 'NOT_FOUND');
    const heading: Array<[string, unknown]> = [
      ['number', report.number],
      ['kind', report.kind],
      ['periodFrom', report.periodFrom],
      ['periodTo', report.periodTo],
      ['state', report.state],
      ['customerGroup', report.customerGroupName],
      ['figuresAsOf', report.figuresAsOf?.toISOString() ?? null],
    ];
    const body = report.figures ? figureRows(report.figures) : figureRows(report.planItems, 'planItems');
    return { columns: ['figure', 'value'], rows: [...heading, ...body], documentType: 'ServiceReport' };
  },
});
