/**
 * The service-desk console at /, in a real browser (Debian's headless Chromium driven by playwright-core) against
 * the real server on the embedded PostgreSQL: a customer files a request from the console and an agent accepts it
 * from the console; refused actions show their reason (a disabled button with the API's reason, and a refusal
 * after firing that changes nothing); the explorer draws every machine of `workflows`; the KPI dashboard draws
 * the statistics. And the HTTP edge's side: content types, cache headers, the CSP, no way out of the folder.
 */
import http from 'node:http';
import { IsNull } from 'typeorm';
import { ApiToken } from '../../src/organisation/organisation.entities';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestApi, type TestApi } from '../support/api';
import { ensureConsoleBuilt, launchChromium } from '../support/browser';
import { acceptedRequest, assignedTask, ok, signedRecord, submittedRecord } from '../support/chain';

let t: TestApi;
let browser: Browser;
let context: BrowserContext;
let base: string;
/** what the pages printed: CSP violations and uncaught errors must not happen */
const pageErrors: string[] = [];

beforeAll(async () => {
  await ensureConsoleBuilt();
  t = await startTestApi();
  base = t.url.replace(/\/graphql$/, '');
  browser = await launchChromium();
  // a person in the company's time zone (no daylight saving): what they type in a datetime-local field is UTC+8
  context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'Asia/Shanghai' });
});
afterAll(async () => {
  await context?.close();
  await browser?.close();
  await t?.close();
});

async function openPage(on: BrowserContext = context): Promise<Page> {
  const page = await on.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()} ${message.location().url}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) pageErrors.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return page;
}

async function signIn(page: Page, who: string): Promise<void> {
  await page.goto(`${base}/`);
  await page.fill('[data-testid=sign-in] input[name=token]', t.tokens[who]);
  await page.click('[data-testid=sign-in] button[type=submit]');
  await page.getByTestId('me').waitFor();
}

/** the value of a datetime-local field for an instant, in the browser's zone (Asia/Shanghai, UTC+8) */
const localInput = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 16);

/** raw GET, so that paths with .. reach the server as written (fetch would normalise them) */
function rawGet(path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    http
      .get({ hostname, port, path }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

describe('the console in a browser', () => {
  let requestId: string;
  let requestNumber: string;

  test('a customer signs in, sees who they are, and files a service request from the console', async () => {
    const page = await openPage();
    await signIn(page, 'CUSTOMER_ACME');
    expect(await page.getByTestId('me').textContent()).toContain('Alice Acme');
    expect(await page.getByTestId('roles').textContent()).toBe('CUSTOMER');
    // the token is kept for the tab only
    expect(await page.evaluate("sessionStorage.getItem('sdd-console-token')")).toBe(t.tokens.CUSTOMER_ACME);
    expect(await page.evaluate("localStorage.getItem('sdd-console-token')")).toBeNull();

    // the customer's queue is the customer's: acceptances to sign and their own requests, nobody else's work
    await page.locator('[data-section=acceptancesToSign][data-loaded=true]').waitFor();
    expect(await page.locator('[data-section=requestsToReview]').count()).toBe(0);
    expect(await page.locator('[data-section=tasksToApprove]').count()).toBe(0);

    await page.click('header a[href="#/new-request"]');
    const form = page.getByTestId('new-request');
    await form.waitFor();
    // staff-only fields are not offered to a portal user
    expect(await form.locator('[name=internalNote]').count()).toBe(0);
    expect(await form.locator('[name=estimatedAmount]').count()).toBe(0);
    const from = new Date(Date.now() + 2 * 86_400_000);
    const to = new Date(Date.now() + 3 * 86_400_000);
    await form.locator('select[name=category]').selectOption('AFTER_SALES');
    await form.locator('select[name=serviceType]').selectOption('REPAIR');
    await form.locator('[name=description]').fill('Feed pump stopped — 給水泵停機');
    await form.locator('[name=contactName]').fill('Alice');
    await form.locator('[name=contactPhone]').fill('+86 21 5555 0101');
    await form.locator('[name=address]').fill('88 Harbour Road');
    await form.locator('[name=expectedFrom]').fill(localInput(from));
    await form.locator('[name=expectedTo]').fill(localInput(to));
    await page.getByTestId('file-and-submit').click();

    const doc = page.locator('[data-testid=document][data-state=SUBMITTED]');
    await doc.waitFor();
    requestId = decodeURIComponent(new URL(page.url()).hash.slice('#/doc/'.length));
    const stored = await t.gql('AGENT', 'query ($id: ID!) { serviceRequest(id: $id) { number state channel description expectedFrom createdBy { name } history { nodes { event actor { name } } } } }', { id: requestId });
    const request = stored.data.serviceRequest;
    expect(request).toMatchObject({ state: 'SUBMITTED', channel: 'ONLINE', description: 'Feed pump stopped — 給水泵停機', createdBy: { name: 'Alice Acme' } });
    expect(request.history.nodes.map((h: { event: string }) => h.event)).toEqual(['CREATE', 'SUBMIT']);
    // the datetime-local field was sent as the instant the person meant
    expect(new Date(request.expectedFrom).getTime()).toBe(Math.floor(from.getTime() / 60_000) * 60_000);
    requestNumber = request.number;
    expect(await page.locator('.page-title').textContent()).toContain(requestNumber);
    // the timeline is the history
    expect(await page.locator('[data-testid=timeline] li').evaluateAll((items) => items.map((i) => i.getAttribute('data-event')))).toEqual(['CREATE', 'SUBMIT']);
    await page.close();
  });

  test('a refused action shows its reason: disabled with the API\'s words, or refused after firing with nothing changed', async () => {
    const page = await openPage();
    await signIn(page, 'CUSTOMER_ACME');
    await page.goto(`${base}/#/doc/${encodeURIComponent(requestId)}`);
    await page.locator('[data-testid=document][data-state=SUBMITTED]').waitFor();

    // the buttons are availableEvents: what the customer may not do is disabled, with the API's reason beside it
    const api = await t.gql('CUSTOMER_ACME', 'query ($id: ID!) { serviceRequest(id: $id) { version availableEvents { event allowed reason } history { totalCount } } }', { id: requestId });
    const events: Array<{ event: string; allowed: boolean; reason: string | null }> = api.data.serviceRequest.availableEvents;
    expect((await page.locator('ul.events li').evaluateAll((items) => items.map((i) => i.getAttribute('data-event')))).sort()).toEqual(events.map((e) => e.event).sort());
    // the ones allowed now come first
    const shown = await page.locator('ul.events li').evaluateAll((items) => items.map((i) => i.getAttribute('data-allowed')));
    expect(shown).toEqual([...shown].sort().reverse());
    const refusedEvent = events.find((e) => e.event === 'ACCEPT')!;
    expect(refusedEvent.allowed).toBe(false);
    const accept = page.locator('ul.events li[data-event=ACCEPT]');
    expect(await accept.locator('button').isDisabled()).toBe(true);
    expect(await accept.locator('.reason').textContent()).toBe(refusedEvent.reason);
    expect(refusedEvent.reason).toBeTruthy();

    // CANCEL is open to the creator, but needs a reason: fired without one, the API refuses and the page says why
    expect(events.find((e) => e.event === 'CANCEL')?.allowed).toBe(true);
    await page.click('ul.events li[data-event=CANCEL] button');
    await page.click('form[data-event=CANCEL] [data-testid=confirm]');
    const refusal = page.locator('form[data-event=CANCEL] [data-testid=refusal]');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/VALIDATION|GUARD_FAILED/);
    const after = await t.gql('CUSTOMER_ACME', 'query ($id: ID!) { serviceRequest(id: $id) { state version history { totalCount } } }', { id: requestId });
    expect(after.data.serviceRequest).toEqual({ state: 'SUBMITTED', version: api.data.serviceRequest.version, history: { totalCount: api.data.serviceRequest.history.totalCount } });
    expect(await page.locator('[data-testid=document]').getAttribute('data-state')).toBe('SUBMITTED');
    await page.close();
  });

  test('an agent finds the request in the review queue and accepts it from its page', async () => {
    const page = await openPage();
    await signIn(page, 'CUSTOMER_ACME');
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('sdd-console-token')")).toBeNull();

    await page.fill('[data-testid=sign-in] input[name=token]', t.tokens.AGENT);
    await page.click('[data-testid=sign-in] button[type=submit]');
    expect(await page.getByTestId('roles').textContent()).toBe('AGENT');
    // customer service's queue also has the approved tasks waiting for their dispatch notice
    await page.locator('[data-section=tasksToDispatch][data-loaded=true]').waitFor();
    const row = page.locator(`[data-section=requestsToReview] tr[data-number="${requestNumber}"]`);
    await row.waitFor();
    await row.locator('a').click();
    await page.locator('[data-testid=document][data-state=SUBMITTED]').waitFor();

    await page.click('ul.events li[data-event=ACCEPT] button');
    const form = page.locator('form[data-event=ACCEPT]');
    await form.locator('select[name=targetDepartmentId] option', { hasText: 'Technical' }).first().waitFor({ state: 'attached' });
    await form.locator('select[name=targetDepartmentId]').selectOption(t.gid.department('TECH'));
    await form.locator('select[name=urgency]').selectOption('URGENT');
    await form.locator('[data-testid=confirm]').click();
    await page.locator('[data-testid=document][data-state=ACCEPTED]').waitFor();
    await page.locator('[data-testid=timeline] li[data-event=ACCEPT]').waitFor();

    const stored = await t.gql('AGENT', 'query ($id: ID!) { serviceRequest(id: $id) { state urgency flagged targetDepartment { code } history { nodes { event actor { name } } } } }', { id: requestId });
    expect(stored.data.serviceRequest).toMatchObject({ state: 'ACCEPTED', urgency: 'URGENT', flagged: true, targetDepartment: { code: 'TECH' } });
    expect(stored.data.serviceRequest.history.nodes.at(-1)).toEqual({ event: 'ACCEPT', actor: { name: 'Li Na (客服)' } });
    // it left the review queue
    await page.click('header nav a[href="#/"]');
    await page.locator('[data-section=requestsToReview] h2 .count').filter({ hasText: /\d/ }).waitFor();
    expect(await page.locator(`[data-section=requestsToReview] tr[data-number="${requestNumber}"]`).count()).toBe(0);
    await page.close();
  });

  test('the explorer draws every machine of `workflows` as a Mermaid diagram', async () => {
    const { data } = await t.gql('AGENT', '{ workflows { type } }');
    const types: string[] = data.workflows.map((w: { type: string }) => w.type);
    expect(types.length).toBeGreaterThanOrEqual(9);
    const page = await openPage();
    await signIn(page, 'AGENT');
    await page.click('header a[href="#/explorer"]');
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('.workflow .diagram svg').length === n, types.length, { timeout: 45_000 });
    expect(await page.locator('.workflow').evaluateAll((sections) => sections.map((s) => s.getAttribute('data-type')))).toEqual(types);
    // each drawing is a state diagram with the machine's states in it
    const serviceRequest = page.locator('.workflow[data-type=ServiceRequest] .diagram svg');
    expect(await serviceRequest.getAttribute('aria-roledescription')).toBe('stateDiagram');
    const text = await serviceRequest.textContent();
    for (const state of ['DRAFT', 'SUBMITTED', 'ACCEPTED', 'IN_SERVICE', 'ARCHIVED']) expect(text).toContain(state);
    await page.close();
  });

  test('the KPI dashboard charts the statistics, and the labels switch to Chinese', async () => {
    const page = await openPage();
    await signIn(page, 'AGENT');
    await page.click('header a[href="#/kpi"]');
    const chart = page.getByTestId('chart-by-period');
    await chart.waitFor();
    const values = await chart.locator('.bar').evaluateAll((bars) => bars.map((b) => Number(b.getAttribute('data-value'))));
    const received = Number(await page.locator('.kpi .card h3 .count').first().textContent());
    expect(received).toBeGreaterThanOrEqual(1); // the request filed above
    expect(values.reduce((a, b) => a + b, 0)).toBe(received);
    expect(await page.locator('.target-card').count()).toBe(3);

    await page.getByTestId('language').click();
    expect(await page.locator('header nav').textContent()).toContain('我的待辦');
    expect(await page.locator('.kpi .page-title').textContent()).toBe('績效指標');
    await page.click('header nav a[href="#/"]');
    await page.locator('[data-section=requestsToReview] h2', { hasText: '待審核的服務申請' }).waitFor();
    await page.getByTestId('language').click();
    await page.close();
  });

  test('a token that stops working sends the person back to the sign-in form', async () => {
    const page = await openPage();
    await signIn(page, 'CUSTOMER_ACME_2');
    await page.getByTestId('queue').waitFor();
    await t.dataSource.getRepository(ApiToken).update({ userId: t.ids.users.CUSTOMER_ACME_2, revokedAt: IsNull() }, { revokedAt: new Date() });
    // the next call is answered 401 (logged as a failed resource load, which is expected here)
    await page.click('header a[href="#/kpi"]');
    await page.getByTestId('sign-in').waitFor();
    expect(await page.evaluate("sessionStorage.getItem('sdd-console-token')")).toBeNull();
    await page.close();
    const expected = (e: string) => /\b401\b/.test(e);
    pageErrors.splice(0, pageErrors.length, ...pageErrors.filter((e) => !expected(e)));
  });

  test('a time is typed in the business zone (Asia/Shanghai, labelled), whatever zone the browser is in', async () => {
    // a person whose laptop is set to New York: 15:00 typed means 15:00 in Shanghai, as every time is shown
    const elsewhere = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', timezoneId: 'America/New_York' });
    try {
      const page = await openPage(elsewhere);
      await signIn(page, 'CUSTOMER_ACME');
      await page.click('header a[href="#/new-request"]');
      const form = page.getByTestId('new-request');
      await form.waitFor();
      expect(await form.locator('[data-field=expectedFrom] .zone').textContent()).toContain('Asia/Shanghai');
      await form.locator('select[name=category]').selectOption('AFTER_SALES');
      await form.locator('select[name=serviceType]').selectOption('REPAIR');
      await form.locator('[name=description]').fill('Zone check — 時區');
      await form.locator('[name=expectedFrom]').fill('2027-01-10T15:00');
      await form.locator('[name=expectedTo]').fill('2027-01-11T09:30');
      await page.getByRole('button', { name: 'Save as draft' }).click();
      await page.locator('[data-testid=document][data-state=DRAFT]').waitFor();
      const id = decodeURIComponent(new URL(page.url()).hash.slice('#/doc/'.length));
      const stored = await t.gql('CUSTOMER_ACME', 'query ($id: ID!) { serviceRequest(id: $id) { expectedFrom expectedTo } }', { id });
      expect(stored.data.serviceRequest).toEqual({ expectedFrom: '2027-01-10T07:00:00.000Z', expectedTo: '2027-01-11T01:30:00.000Z' });
      // and shown back as typed
      expect(await page.locator('dd[data-field=expectedFrom]').textContent()).toContain('15:00');
      await page.close();
    } finally {
      await elsewhere.close();
    }
  });

  test('a refused "File and submit" keeps editing the draft it created: the next attempt submits that draft, not another', async () => {
    const count = async () => (await t.gql('CUSTOMER_ACME', '{ serviceRequests(first: 100) { nodes { id description } } }')).data.serviceRequests.nodes.filter((n: { description: string }) => n.description === 'One draft only — 只一份草稿');
    const page = await openPage();
    await signIn(page, 'CUSTOMER_ACME');
    await page.click('header a[href="#/new-request"]');
    const form = page.getByTestId('new-request');
    await form.waitFor();
    await form.locator('select[name=category]').selectOption('AFTER_SALES');
    await form.locator('select[name=serviceType]').selectOption('REPAIR');
    await form.locator('[name=description]').fill('One draft only — 只一份草稿');
    await page.getByTestId('file-and-submit').click();
    // the submit is refused (no contact, no address…): the draft exists, and the form says so
    await form.getByTestId('refusal').waitFor();
    await form.getByTestId('draft-kept').waitFor();
    const drafts = await count();
    expect(drafts).toHaveLength(1);
    expect(await form.getByTestId('draft-kept').getAttribute('data-id')).toBe(drafts[0].id);

    await form.locator('[name=contactName]').fill('Alice');
    await form.locator('[name=contactPhone]').fill('+86 21 5555 0101');
    await form.locator('[name=address]').fill('88 Harbour Road');
    await form.locator('[name=expectedFrom]').fill(localInput(new Date(Date.now() + 2 * 86_400_000)));
    await form.locator('[name=expectedTo]').fill(localInput(new Date(Date.now() + 3 * 86_400_000)));
    await page.getByTestId('file-and-submit').click();
    await page.locator('[data-testid=document][data-state=SUBMITTED]').waitFor();
    const after = await count();
    expect(after).toHaveLength(1);
    expect(after[0].id).toBe(drafts[0].id);
    expect(decodeURIComponent(new URL(page.url()).hash.slice('#/doc/'.length))).toBe(drafts[0].id);
    const stored = await t.gql('CUSTOMER_ACME', 'query ($id: ID!) { serviceRequest(id: $id) { state contactName address history { nodes { event } } } }', { id: drafts[0].id });
    expect(stored.data.serviceRequest).toEqual({ state: 'SUBMITTED', contactName: 'Alice', address: '88 Harbour Road', history: { nodes: [{ event: 'CREATE' }, { event: 'UPDATE' }, { event: 'SUBMIT' }] } });
    await page.close();
  });

  test('a field report waits in the customer\'s queue until signed, then in the supervisor\'s; its page shows entries, repair and sign-off, its task\'s page the dispatch notice and contact', async () => {
    const sr = await acceptedRequest(t);
    const task = await assignedTask(t, sr.id);
    await ok(t, 'AGENT', 'dispatchServiceTask', { id: task.id, note: 'Bring the seal kit.' });
    await ok(t, 'TECHNICIAN', 'recordContactServiceTask', { id: task.id, channel: 'PHONE', contactPerson: 'Alice Acme', agreedVisitAt: new Date(Date.now() + 86_400_000).toISOString() });
    await ok(t, 'TECHNICIAN', 'confirmServiceTask', { id: task.id });
    await ok(t, 'TECHNICIAN', 'startServiceTask', { id: task.id });
    const record = await submittedRecord(t, task.id, 'TECHNICIAN', 'Replaced the seal — 更換密封件');

    const customer = await openPage();
    await signIn(customer, 'CUSTOMER_ACME');
    await customer.locator(`[data-section=recordsToSign] tr[data-number="${record.number}"]`).waitFor();
    await customer.close();
    const supervisor = await openPage();
    await signIn(supervisor, 'SUPERVISOR_TECH');
    await supervisor.locator('[data-section=recordsToReview][data-loaded=true]').waitFor();
    expect(await supervisor.locator(`[data-section=recordsToReview] tr[data-number="${record.number}"]`).count()).toBe(0);

    await signedRecord(t, record.id);
    await supervisor.reload();
    await supervisor.locator(`[data-section=recordsToReview] tr[data-number="${record.number}"]`).waitFor();
    await supervisor.locator(`[data-section=recordsToReview] tr[data-number="${record.number}"] a`).click();
    await supervisor.locator('[data-testid=document][data-type=ServiceRecord]').waitFor();
    const entries = supervisor.locator('[data-detail=entries]');
    await entries.waitFor();
    expect(await entries.locator('td[data-field=kind]').allTextContents()).toEqual(['PROGRESS']);
    expect(await entries.locator('td[data-field=text]').allTextContents()).toEqual(['Replaced the seal — 更換密封件']);
    expect(await supervisor.locator('[data-detail=warrantyCheck] dd[data-field=coverage]').textContent()).toBe('IN_WARRANTY');
    expect(await supervisor.locator('[data-detail=repairedFaults] td[data-field=faultCode]').allTextContents()).toEqual(['E-17']);
    expect(await supervisor.locator('dd[data-field=customerSignerName]').textContent()).toBe('Alice Acme');
    expect(await supervisor.locator('dd[data-field=customerSignMark]').textContent()).toBe('SIGNATURE');
    expect(await supervisor.locator('dd[data-field=customerSignedAt]').textContent()).not.toBe('—');

    // in Chinese, the sign-off reads as one
    await supervisor.getByTestId('language').click();
    expect(await supervisor.locator('[data-testid=timeline] li[data-event=SIGN_OFF] strong').textContent()).toBe('客戶簽字確認 SIGN_OFF');
    await supervisor.getByTestId('language').click();

    // the task's page: its dispatch notice and the customer contact
    await supervisor.goto(`${base}/#/doc/${encodeURIComponent(task.id)}`);
    await supervisor.locator('[data-testid=document][data-type=ServiceTask]').waitFor();
    await supervisor.locator('[data-detail=dispatchNotice]').waitFor();
    expect(await supervisor.locator('[data-detail=dispatchNotice] dd[data-field=note]').textContent()).toBe('Bring the seal kit.');
    expect(await supervisor.locator('[data-detail=dispatchNotice] dd[data-field=agentName]').textContent()).toBe('Li Na (客服)');
    expect(await supervisor.locator('[data-detail=customerContact] dd[data-field=contactPerson]').textContent()).toBe('Alice Acme');
    expect(await supervisor.locator('[data-detail=customerContact] dd[data-field=channel]').textContent()).toBe('PHONE');
    await supervisor.close();
  });

  test('no page raised an error or broke its Content-Security-Policy', () => {
    expect(pageErrors).toEqual([]);
  });
});

describe('the forms come from the contract', () => {
  test('every event a caller sends has its mutation and input in the digest the console is built with, and every machine its document fields', async () => {
    const { schemaDigest } = require('../../scripts/build-console') as { schemaDigest: () => { documents: Record<string, { scalars: string[] }>; mutations: Record<string, { input: string; document: string | null }>; inputs: Record<string, Array<{ name: string }>> } };
    const digest = schemaDigest();
    const { data } = await t.gql('AGENT', '{ workflows { type createMutation events { name mutation } } }');
    let events = 0;
    for (const workflow of data.workflows as Array<{ type: string; createMutation: string | null; events: Array<{ name: string; mutation: string | null }> }>) {
      expect(digest.documents[workflow.type]?.scalars).toEqual(expect.arrayContaining(['number', 'state', 'version']));
      for (const event of workflow.events) {
        if (!event.mutation) continue;
        events++;
        const mutation = digest.mutations[event.mutation];
        expect({ event: `${workflow.type}.${event.name}`, found: Boolean(mutation) }).toEqual({ event: `${workflow.type}.${event.name}`, found: true });
        expect(mutation.document).not.toBeNull();
        if (event.mutation !== workflow.createMutation) expect(digest.inputs[mutation.input].map((f) => f.name)).toContain('id');
      }
    }
    expect(events).toBeGreaterThan(60);
  });
});

describe('the HTTP edge serves the console', () => {
  test('/ is the console\'s page, revalidated, under a strict CSP; assets are hashed and immutable', async () => {
    const index = await fetch(`${base}/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval)/);
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await index.text();
    const script = /<script type="module" src="(\/assets\/console-[A-Z0-9]+\.js)">/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(html).not.toMatch(/https?:\/\//); // nothing from elsewhere

    const asset = await fetch(`${base}${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const etag = asset.headers.get('etag')!;
    expect((await fetch(`${base}${script}`, { headers: { 'if-none-match': etag } })).status).toBe(304);
    const css = /href="(\/assets\/console-[A-Z0-9]+\.css)"/.exec(html)![1];
    expect((await fetch(`${base}${css}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  test.each(['/assets/../package.json', '/../package.json', '/%2e%2e/package.json', '/assets/%2e%2e%2f%2e%2e%2fpackage.json', '/assets/..%2f..%2fpackage.json', '/assets/', '/assets', '/.build-stamp', '/favicon.ico', '/src/app.ts', '/dist/console/index.html'])('%s is not served', async (path) => {
    const res = await rawGet(path);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('"dependencies"');
  });

  test('/graphql and everything else answer as before', async () => {
    expect((await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ me { name } }"}' })).status).toBe(401);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
