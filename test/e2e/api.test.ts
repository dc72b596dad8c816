/** The API as a contract: authentication, health, the committed schema, migrations, errors, workflows. */
import fs from 'node:fs';
import { IsNull } from 'typeorm';
import { buildApiSchema, printApiSchema, SCHEMA_FILE } from '../../src/graphql/schema';
import { ApiToken, User } from '../../src/organisation/organisation.entities';
import { startTestApi, type TestApi } from '../support/api';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi();
});
afterAll(() => t.close());

const base = () => t.url.replace(/\/graphql$/, '');

describe('authentication', () => {
  test.each([
    ['no Authorization header', {}],
    ['an unknown token', { authorization: 'Bearer sdd_not-a-real-token' }],
    ['a token without the Bearer scheme', { authorization: 'Basic abc' }],
  ])('%s gets 401 UNAUTHENTICATED and no data', async (_name, headers) => {
    const res = await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: '{ me { name } }' }) });
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body).toEqual({ errors: [{ message: expect.any(String), extensions: { code: 'UNAUTHENTICATED' } }] });
  });

  test('a revoked token and the token of a deactivated user stop working', async () => {
    const me = await t.gql('CUSTOMER_ACME_2', '{ me { name } }');
    expect(me.data.me.name).toBe('Bob Acme');
    await t.dataSource.getRepository(ApiToken).update({ userId: t.ids.users.CUSTOMER_ACME_2, revokedAt: IsNull() }, { revokedAt: new Date() });
    expect((await t.gql('CUSTOMER_ACME_2', '{ me { name } }')).status).toBe(401);

    expect((await t.gql('SUPERVISOR_SALES', '{ me { name } }')).status).toBe(200);
    await t.dataSource.getRepository(User).update({ id: t.ids.users.SUPERVISOR_SALES }, { active: false });
    expect((await t.gql('SUPERVISOR_SALES', '{ me { name } }')).status).toBe(401);
  });

  test('tokens are stored hashed, never as given', async () => {
    const stored = await t.dataSource.getRepository(ApiToken).find();
    const all = Object.values(t.tokens);
    for (const row of stored) {
      expect(all).not.toContain(row.tokenHash);
      expect(row.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  test('me answers who the caller is, with roles and organisation', async () => {
    const res = await t.gql('SUPERVISOR_TECH', '{ me { id name kind roles department { code } customer { code } } }');
    expect(res.data.me).toEqual({ id: t.gid.user('SUPERVISOR_TECH'), name: 'Wang Qiang (技術支持部主管)', kind: 'HUMAN', roles: ['SUPERVISOR'], department: { code: 'TECH' }, customer: null });
    const bot = await t.gql('AUTOMATION_DISPATCH', '{ me { kind roles } }');
    expect(bot.data.me).toEqual({ kind: 'AUTOMATION', roles: ['AGENT'] });
  });
});

describe('HTTP edge', () => {
  test('/healthz and /readyz answer without a token', async () => {
    expect(await (await fetch(`${base()}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(200);
  });

  test('GET serves queries; a mutation over GET is refused', async () => {
    const auth = { authorization: `Bearer ${t.tokens.AGENT}` };
    const q = await fetch(`${t.url}?query=${encodeURIComponent('{ me { name } }')}`, { headers: auth });
    expect(await q.json()).toEqual({ data: { me: { name: 'Li Na (客服)' } } });
    const m = await fetch(`${t.url}?query=${encodeURIComponent('mutation { cancelServiceRequest(input: {id: "x", reason: "y"}) { userErrors { code } } }')}`, { headers: auth });
    expect(m.status).toBe(405);
  });

  test('every response carries a request id; a sane one from the caller is kept', async () => {
    const res = await t.gql('AGENT', '{ me { name } }', undefined, { 'x-request-id': 'portal-42' });
    expect(res.headers.get('x-request-id')).toBe('portal-42');
    const generated = await t.gql('AGENT', '{ me { name } }', undefined, { 'x-request-id': 'bad id with spaces' });
    expect(generated.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('malformed bodies get 400/415 with a GraphQL-shaped error, never a stack trace', async () => {
    const auth = { authorization: `Bearer ${t.tokens.AGENT}` };
    const notJson = await fetch(t.url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"query": ' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).errors[0].extensions.code).toBe('BAD_REQUEST');
    const text = await fetch(t.url, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: '{ me { name } }' });
    expect(text.status).toBe(415);
    const huge = await fetch(t.url, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ me { name } } #${'x'.repeat(1_100_000)}` }) });
    expect(huge.status).toBe(413);
  });

  test('a syntax error and an unknown field are client errors with their codes', async () => {
    const syntax = await t.gql('AGENT', '{ me { name ');
    // graphql-armor's token limit parses first, so a syntax error is reported as a failed validation
    expect(syntax.errors).toEqual([{ message: expect.stringMatching(/^Syntax Error: Expected Name, found <EOF>/), extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    const unknown = await t.gql('AGENT', '{ me { salary } }');
    expect(unknown.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify([syntax.errors, unknown.errors])).not.toMatch(/stacktrace|node_modules/);
  });
});

describe('contract', () => {
  test('the committed schema/schema.graphql is the schema the code builds (run `npm run schema:emit` after a deliberate change)', async () => {
    const built = printApiSchema(await buildApiSchema());
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(built);
  });

  test('the migrations produce exactly the schema the entities describe (nothing left for synchronize to do)', async () => {
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  test('workflows describes each machine: states, events with mutations, guards, roles and a Mermaid diagram', async () => {
    const res = await t.gql('CUSTOMER_ACME', `{ workflows { type prefix initialState states { name final events } events { name mutation system roles transitions { from to guards { name kind description } } } mermaid } }`);
    const sr = res.data.workflows.find((w: any) => w.type === 'ServiceRequest');
    expect(sr).toMatchObject({ prefix: 'SR', initialState: 'DRAFT' });
    expect(sr.states.find((s: any) => s.name === 'ARCHIVED')).toEqual({ name: 'ARCHIVED', final: true, events: [] });
    const submit = sr.events.find((e: any) => e.name === 'SUBMIT');
    expect(submit).toMatchObject({ mutation: 'submitServiceRequest', system: false, roles: expect.arrayContaining(['CUSTOMER', 'AGENT']) });
    expect(submit.transitions).toEqual([
      {
        from: 'DRAFT',
        to: 'SUBMITTED',
        guards: [
          { name: 'creatorOrAgent', kind: 'PERMISSION', description: expect.any(String) },
          { name: 'requiredFieldsComplete', kind: 'RULE', description: expect.any(String) },
        ],
      },
    ]);
    expect(sr.events.find((e: any) => e.name === 'START')).toMatchObject({ mutation: null, system: true });
    // creation is the machine's first transition: its rules are guards, shown like any other
    expect(sr.events.find((e: any) => e.name === 'CREATE')).toMatchObject({ mutation: 'createServiceRequest', system: false, transitions: [{ from: 'NEW', to: 'DRAFT', guards: [{ name: 'customerOrAgent', kind: 'PERMISSION' }] }] });
    // ARCHIVE is fired by the system and also sent by the records custodian through its mutation
    expect(sr.events.find((e: any) => e.name === 'ARCHIVE')).toMatchObject({ mutation: 'archiveServiceRequest', system: true, roles: ['ARCHIVIST'] });
    expect(sr.states.map((s: any) => s.name)).not.toContain('NEW');
    expect(sr.mermaid.split('\n')).toEqual(expect.arrayContaining(['stateDiagram-v2', '  [*] --> DRAFT: CREATE', '  DRAFT --> SUBMITTED: SUBMIT', '  ARCHIVED --> [*]']));
  });

  test('each transition names its effects and the domain events it announces', async () => {
    const res = await t.gql('AGENT', `{ workflows { type events { name transitions { from to effects announces } } } }`);
    const task = res.data.workflows.find((w: any) => w.type === 'ServiceTask');
    const approve = task.events.find((e: any) => e.name === 'APPROVE').transitions;
    expect(approve).toEqual(expect.arrayContaining([
      { from: 'PENDING_APPROVAL', to: 'ASSIGNED', effects: ['sign', 'stampApproved'], announces: ['ServiceTask.approved'] },
      { from: 'PENDING_APPROVAL', to: 'PENDING_EXECUTIVE', effects: ['sign'], announces: [] },
    ]));
    const acceptance = res.data.workflows.find((w: any) => w.type === 'ServiceAcceptance');
    expect(acceptance.events.find((e: any) => e.name === 'VERIFY').transitions[0].announces).toEqual(['ServiceAcceptance.verified']);
  });

  test('availableCreations: what each caller may create, and why not', async () => {
    const query = `{ availableCreations { type mutation allowed code reason } }`;
    const byType = async (who: string) => Object.fromEntries((await t.gql(who, query)).data.availableCreations.map((c: any) => [c.type, c]));
    const customer = await byType('CUSTOMER_ACME');
    expect(customer.ServiceRequest).toEqual({ type: 'ServiceRequest', mutation: 'createServiceRequest', allowed: true, code: null, reason: null });
    expect(customer.ServiceTask).toMatchObject({ allowed: false, code: 'FORBIDDEN', reason: expect.stringContaining('supervisor') });
    // acceptances are opened by the system only: no create mutation, so not listed
    expect(customer.ServiceAcceptance).toBeUndefined();
    const supervisor = await byType('SUPERVISOR_TECH');
    expect(supervisor.ServiceTask).toMatchObject({ allowed: true });
    expect(supervisor.ServiceRequest).toMatchObject({ allowed: false, code: 'FORBIDDEN' });
  });

  test('every caller-sendable event has its mutation in the schema, and nothing else mutates documents', async () => {
    const res = await t.gql('AGENT', `{ __type(name: "Mutation") { fields { name } } workflows { type createMutation events { mutation } } }`);
    const mutations: string[] = res.data.__type.fields.map((f: any) => f.name);
    const declared = new Set<string>();
    for (const w of res.data.workflows) {
      for (const e of w.events) if (e.mutation) declared.add(e.mutation);
      if (w.createMutation) declared.add(w.createMutation);
      else expect(mutations).not.toContain(`create${w.type}`);
    }
    for (const m of declared) expect(mutations).toContain(m);
    // every document mutation in the schema is one the workflows declare
    const documentTypes = res.data.workflows.map((w: any) => w.type);
    const documentMutations = mutations.filter((m) => documentTypes.some((type: string) => m.endsWith(type)));
    expect(documentMutations.sort()).toEqual([...declared].sort());
  });
});
