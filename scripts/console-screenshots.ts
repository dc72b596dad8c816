/**
 * `npm run screenshots`: the README's pictures of the console (docs/console-*.png). Starts the server as
 * `npm start` does (scripts/start.js) on a fresh embedded PostgreSQL in a temporary folder, creates demo
 * documents through the API (the seed has none), and photographs the pages in Debian's headless Chromium
 * (CHROMIUM_PATH or /usr/bin/chromium) driven by playwright-core. Prints how long the start took.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

const root = path.resolve(__dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function main(): Promise<void> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sdd-screens-'));
  fs.chmodSync(dataDir, 0o755); // the embedded server runs as `postgres` when we are root: it must reach its folder
  const [port, pgPort] = [await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  const started = Date.now();
  const server = spawn(process.execPath, [path.join(root, 'scripts', 'start.js')], {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), JOBS: 'off', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (server.exitCode !== null) return resolve();
      server.once('exit', () => resolve());
      server.kill('SIGINT');
    });
  try {
    for (;;) {
      if (server.exitCode !== null) throw new Error(`the server exited (${server.exitCode})`);
      const ready = await fetch(`${base}/readyz`).then((r) => r.ok, () => false);
      if (ready) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    console.log(`server ready in ${((Date.now() - started) / 1000).toFixed(1)} s (first start: initdb, migrations, seed)`);
    const tokens = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-tokens.json'), 'utf8')) as Record<string, string>;

    const gql = async (who: string, query: string, variables?: Record<string, unknown>) => {
      const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` }, body: JSON.stringify({ query, variables }) });
      const body = (await res.json()) as { data?: any; errors?: unknown };
      if (!body.data) throw new Error(JSON.stringify(body.errors));
      const payload = Object.values(body.data)[0] as { userErrors?: unknown[] };
      if (payload?.userErrors?.length) throw new Error(JSON.stringify(payload.userErrors));
      return body.data;
    };
    const day = 86_400_000;
    const file = async (who: string, description: string, urgency: string, serviceType: string) => {
      const { createServiceRequest } = await gql(
        who,
        'mutation ($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { id } userErrors { code message } } }',
        { input: { category: 'AFTER_SALES', serviceType, urgency, description, contactName: '王先生', contactPhone: '+86 21 5555 0101', address: '上海市浦東新區港灣路88號', expectedFrom: new Date(Date.now() + 2 * day).toISOString(), expectedTo: new Date(Date.now() + 4 * day).toISOString() } },
      );
      const id = createServiceRequest.serviceRequest.id as string;
      await gql(who, 'mutation ($input: DocumentEventInput!) { submitServiceRequest(input: $input) { userErrors { code message } } }', { input: { id } });
      return id;
    };
    const { departments } = await gql('AGENT', '{ departments { id code } }');
    const tech = departments.find((d: { code: string }) => d.code === 'TECH').id;
    const ticket = await file('CUSTOMER_ACME', '給水泵停機，無法啟動 (feed pump stopped, will not restart)', 'URGENT', 'REPAIR');
    await file('CUSTOMER_ACME', '年度保養：冷卻塔風機 (annual maintenance of the cooling-tower fan)', 'NORMAL', 'ONSITE_SUPPORT');
    await file('CUSTOMER_HUAXIA', '控制櫃報警 E-17 (control cabinet alarm E-17)', 'CRITICAL', 'REPAIR');
    await file('CUSTOMER_HUAXIA', '新設備安裝調試 (installation and commissioning)', 'NORMAL', 'INSTALLATION');
    await gql('AGENT', 'mutation ($input: AcceptServiceRequestInput!) { acceptServiceRequest(input: $input) { userErrors { code message } } }', { input: { id: ticket, targetDepartmentId: tech, urgency: 'URGENT', comment: '轉技術支持部' } });
    const technician = (await gql('TECHNICIAN', '{ me { id } }')).me.id as string;
    const { createServiceTask } = await gql(
      'SUPERVISOR_TECH',
      'mutation ($input: CreateServiceTaskInput!) { createServiceTask(input: $input) { serviceTask { id } userErrors { code message } } }',
      { input: { requestId: ticket, assigneeId: technician, description: '更換給水泵密封件並帶載測試', plannedStart: new Date(Date.now() + 2 * day).toISOString(), plannedEnd: new Date(Date.now() + 2 * day + 8 * 3600_000).toISOString(), estimatedCost: 1200, resources: '密封件套件、扭力扳手' } },
    );
    await gql('SUPERVISOR_TECH', 'mutation ($input: DocumentEventInput!) { submitServiceTask(input: $input) { userErrors { code message } } }', { input: { id: createServiceTask.serviceTask.id } });

    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, deviceScaleFactor: 1, locale: 'zh-CN' });
      const page = await context.newPage();
      const signIn = async (who: string) => {
        await page.goto(`${base}/`);
        await page.evaluate('sessionStorage.clear()');
        await page.goto(`${base}/`);
        await page.fill('[data-testid=sign-in] input[name=token]', tokens[who]);
        await page.click('[data-testid=sign-in] button[type=submit]');
        await page.getByTestId('me').waitFor();
      };
      const docs = path.join(root, 'docs');
      fs.mkdirSync(docs, { recursive: true });
      const shot = async (name: string, fullPage = false) => {
        await page.waitForLoadState('networkidle');
        await page.screenshot({ path: path.join(docs, name), fullPage });
        console.log(`docs/${name}`);
      };

      await signIn('AGENT');
      await page.locator('[data-section=requestsToReview] tr').nth(1).waitFor();
      await page.waitForFunction(() => !(globalThis as any).document.querySelector('.queue-section[data-loaded=false]'));
      await shot('console-queue.png');

      await page.goto(`${base}/#/doc/${encodeURIComponent(ticket)}`);
      await page.locator('[data-testid=document]').waitFor();
      // an event's form open: the first one the agent may send
      const enabled = page.locator('ul.events li button:not([disabled])').first();
      if (await enabled.count()) {
        await enabled.click();
        await page.locator('form.event-form').waitFor();
      }
      await shot('console-ticket.png', true);

      await page.getByTestId('language').click(); // 中文
      await page.goto(`${base}/#/explorer`);
      await page.waitForFunction(() => {
        const doc = (globalThis as any).document;
        const sections = doc.querySelectorAll('.workflow').length;
        return sections > 0 && doc.querySelectorAll('.workflow .diagram svg').length === sections;
      });
      await page.setViewportSize({ width: 1280, height: 1500 });
      await shot('console-explorer.png');
      await page.setViewportSize({ width: 1280, height: 860 });

      await page.goto(`${base}/#/kpi`);
      await page.getByTestId('chart-by-period').waitFor();
      await shot('console-kpi.png', true);
      await page.getByTestId('language').click(); // back to English
    } finally {
      await browser.close();
    }
  } finally {
    await stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
