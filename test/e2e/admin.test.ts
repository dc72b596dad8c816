/**
 * Administration through the API (issue #14 item 1), over HTTP with a 30-second token cache: every admin
 * mutation refused for every other role with nothing changed; users, portal users, departments, supervisors,
 * customers; a deactivated user's and a revoked token refused on the next request; a rotated token working
 * during its overlap and refused after; settings as versioned data — a changed threshold applied to the next
 * approval and recorded, validation refusals, every process reloading; a customer's tier change recomputing the
 * tier of its pending documents; the admin audit trail hash-chained, append-only and verifiable.
 */
import { createHash } from 'node:crypto';
import { startApi } from '../../src/app';
import { idOf } from '../../src/graphql/global-id';
import { startTestApi, type TestApi } from '../support/api';
import { acceptedRequest, assignedTask, ok, pendingTask } from '../support/chain';
import { submittedRequest, USER_ERRORS } from '../support/documents';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi({ tokenCacheMs: 30_000 });
}, 60_000);
afterAll(() => t.close());

const NON_ADMINS = ['AGENT', 'SUPERVISOR_TECH', 'TECHNICIAN', 'EXECUTIVE', 'ARCHIVIST', 'STOREKEEPER', 'CUSTOMER_ACME', 'AUTOMATION_DISPATCH'];

/** Sends an admin mutation as `who`; the payload with its userErrors. */
async function admin(who: string, mutation: string, input: Record<string, unknown>, select = ''): Promise<any> {
  const type = await inputTypeOf(mutation);
  const res = await t.gql(who, `mutation($input: ${type}!) { ${mutation}(input: $input) { ${select} ${USER_ERRORS} } }`, { input });
  expect(res.errors).toBeUndefined();
  return res.data[mutation];
}
async function adminOk(mutation: string, input: Record<string, unknown>, select = ''): Promise<any> {
  const out = await admin('ADMIN', mutation, input, select);
  expect({ mutation, userErrors: out.userErrors }).toEqual({ mutation, userErrors: [] });
  return out;
}

let inputTypes: Map<string, string> | null = null;
async function inputTypeOf(mutation: string): Promise<string> {
  if (!inputTypes) {
    const res = await t.gql('ADMIN', `{ __type(name: "Mutation") { fields { name description args { name type { ofType { name } } } } } }`);
    inputTypes = new Map(res.data.__type.fields.map((f: any) => [f.name, f.args.find((a: any) => a.name === 'input')?.type.ofType.name]));
  }
  return inputTypes.get(mutation)!;
}

/** everything an admin change could touch, as text: users, departments, customers, tokens, settings, the trail, tiers */
async function adminState(): Promise<string> {
  const tables = ['app_user', 'department', 'customer', 'api_token', 'setting', 'admin_audit_event'];
  const parts = await Promise.all(tables.map((table) => t.owner.query(`SELECT md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h, count(*) AS n FROM ${table} x`)));
  const tiers = await t.owner.query(`SELECT md5(coalesce(string_agg(id::text || coalesce(tier, '-'), '|' ORDER BY id), '')) AS h FROM service_task`);
  return JSON.stringify([...parts.map((p) => p[0]), tiers[0]]);
}

/** POST with a raw bearer token */
const asToken = (token: string, query = '{ me { name } }') =>
  fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) });

const settingsNow = async (): Promise<Record<string, { value: unknown; version: number; changedBy: { name: string } | null; reason: string | null }>> => {
  const res = await t.gql('ADMIN', `{ settings { key value version reason changedBy { name } } }`);
  expect(res.errors).toBeUndefined();
  return Object.fromEntries(res.data.settings.map((s: any) => [s.key, s]));
};

const trail = async (first = 100, after?: string) => {
  const res = await t.gql('ADMIN', `query($first: Int, $after: String) { adminAuditTrail(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { seq subjectType subjectId event actor { name } actorRoles reason changes hash prevHash } } }`, { first, after });
  expect(res.errors).toBeUndefined();
  return res.data.adminAuditTrail;
};
const lastEvents = async (n: number) => {
  const { totalCount } = await trail(1);
  const page = await trail(100, totalCount > n ? Buffer.from(JSON.stringify(['admin', totalCount - n])).toString('base64url') : undefined);
  return page.nodes;
};

describe('refusals: only ADMIN administers', () => {
  test('every admin mutation is refused FORBIDDEN for every other role, and nothing changes; admin queries answer FORBIDDEN', async () => {
    // a token of its own to rotate (not AGENT_2's demo token, which later tests use)
    const tokenId = (await adminOk('issueApiToken', { userId: t.gid.user('AGENT_2'), label: 'probe-base' }, 'apiToken { id }')).apiToken.id;
    // and a department of its own to deactivate
    const qa = (await adminOk('createDepartment', { code: 'QA', name: '品質部 Quality' }, 'department { id }')).department.id;
    // inputs that ADMIN may send (checked below): a refusal is for the role, not the input
    const cases: Record<string, Record<string, unknown>> = {
      createUser: { name: 'Refusal Probe', login: 'refusal.probe', roles: ['AGENT'], departmentId: t.gid.department('CS') },
      updateUser: { id: t.gid.user('AGENT_2'), name: 'Zhou Min (客服, renamed)' },
      deactivateUser: { id: t.gid.user('TECHNICIAN_2'), reason: 'left' },
      reactivateUser: { id: t.gid.user('TECHNICIAN_2') },
      createDepartment: { code: 'LAB', name: '實驗室 Laboratory' },
      renameDepartment: { id: t.gid.department('SALES'), name: '銷售部 Sales & Marketing' },
      deactivateDepartment: { id: qa },
      reactivateDepartment: { id: qa },
      setDepartmentSupervisors: { departmentId: t.gid.department('SALES'), userIds: [t.gid.user('SUPERVISOR_SALES'), t.gid.user('AGENT')] },
      createCustomer: { code: 'DELTA', name: 'Delta Pumps', tier: 'STANDARD' },
      renameCustomer: { id: t.gid.customer('HUAXIA'), name: '華夏電力集團 Huaxia Power Group' },
      changeCustomerTier: { id: t.gid.customer('HUAXIA'), tier: 'STANDARD', reason: 'contract ended' },
      changeCustomerRegion: { id: t.gid.customer('HUAXIA'), regionCode: 'WEST', reason: 'moved its plant' },
      issueApiToken: { userId: t.gid.user('AGENT_2'), label: 'probe' },
      rotateApiToken: { id: tokenId, overlapSeconds: 60 },
      revokeApiToken: { id: tokenId, reason: 'probe' },
      changeSetting: { key: 'executiveThreshold', value: 60000, reason: 'probe', expectedVersion: 1 },
    };
    // every ADMIN mutation of the schema has a case here: one added later fails this test until it has one
    const res = await t.gql('ADMIN', `{ __type(name: "Mutation") { fields { name description } } }`);
    // (the calendar's ADMIN mutations are the deadlines' own, tested in deadlines.test.ts)
    const adminMutations = res.data.__type.fields.filter((f: any) => /^ADMIN: /.test(f.description ?? '') && !/CalendarDay$/.test(f.name)).map((f: any) => f.name).sort();
    expect(adminMutations).toEqual(Object.keys(cases).sort());

    const before = await adminState();
    for (const who of NON_ADMINS) {
      for (const [mutation, input] of Object.entries(cases)) {
        const out = await admin(who, mutation, input);
        expect({ who, mutation, codes: out.userErrors.map((e: any) => e.code) }).toEqual({ who, mutation, codes: ['FORBIDDEN'] });
      }
      for (const query of ['{ users { id } }', '{ apiTokens { id } }', '{ settings { key } }', '{ adminAuditTrail { totalCount } }', '{ verifyAdminAuditTrail { valid } }']) {
        const r = await t.gql(who, query);
        expect({ who, query, code: r.errors?.[0]?.extensions?.code, data: r.data }).toEqual({ who, query, code: 'FORBIDDEN', data: null });
      }
    }
    expect(await adminState()).toBe(before);

    // the same inputs from ADMIN go through (in an order that makes each valid), each recorded once in the trail
    const { totalCount } = await trail(1);
    const order = ['createUser', 'updateUser', 'deactivateUser', 'reactivateUser', 'createDepartment', 'deactivateDepartment', 'reactivateDepartment', 'renameDepartment', 'setDepartmentSupervisors', 'createCustomer', 'renameCustomer', 'issueApiToken', 'rotateApiToken'];
    for (const mutation of order) await adminOk(mutation, cases[mutation]);
    const probes = (await t.gql('ADMIN', `{ apiTokens(userId: "${t.gid.user('AGENT_2')}") { id label active expiresAt } }`)).data.apiTokens;
    expect(probes.filter((x: any) => x.label === 'probe-base').map((x: any) => x.active)).toEqual([true, true]); // the new one, and the old one in its overlap
    await adminOk('revokeApiToken', { id: probes.find((x: any) => x.label === 'probe-base' && x.expiresAt === null).id });
    expect((await trail(1)).totalCount).toBeGreaterThanOrEqual(totalCount + order.length + 1);
    // put AGENT back as a plain agent, and SALES's name
    await adminOk('updateUser', { id: t.gid.user('AGENT'), roles: ['AGENT'], departmentId: t.gid.department('CS') });
  });
});

describe('users, portal users, departments and supervisors', () => {
  test('a new customer with a portal user and a token: the user signs in and sees its organisation only', async () => {
    const { customer } = await adminOk('createCustomer', { code: 'EASTWIND', name: '東風機械 Eastwind Machinery', tier: 'STANDARD' }, 'customer { id code tier }');
    const { user } = await adminOk('createUser', { name: 'Eve Eastwind', login: 'eve@eastwind', roles: ['CUSTOMER'], customerId: customer.id }, 'user { id name kind roles active customer { code } }');
    expect(user).toMatchObject({ name: 'Eve Eastwind', kind: 'HUMAN', roles: ['CUSTOMER'], active: true, customer: { code: 'EASTWIND' } });
    const issued = await adminOk('issueApiToken', { userId: user.id, label: 'portal' }, 'token apiToken { id label active user { name } }');
    expect(issued.apiToken).toMatchObject({ label: 'portal', active: true, user: { name: 'Eve Eastwind' } });
    // stored as its SHA-256 only, and never listed
    const [stored] = await t.owner.query(`SELECT token_hash FROM api_token WHERE id = $1`, [idOf(issued.apiToken.id, 'ApiToken')]);
    expect(stored.token_hash).toBe(createHash('sha256').update(issued.token).digest('hex'));
    expect(JSON.stringify((await t.gql('ADMIN', `{ apiTokens { id label createdAt } }`)).data)).not.toContain(issued.token);
    const me = await asToken(issued.token, '{ me { name customer { code } } customers { code } }');
    expect(me.status).toBe(200);
    expect(((await me.json()) as any).data).toEqual({ me: { name: 'Eve Eastwind', customer: { code: 'EASTWIND' } }, customers: [{ code: 'EASTWIND' }] });
    // an automation: its own kind and roles
    const bot = await adminOk('createUser', { name: 'erp-sync', login: 'erp-sync', kind: 'AUTOMATION', roles: ['AGENT'], departmentId: t.gid.department('CS') }, 'user { kind roles }');
    expect(bot.user).toEqual({ kind: 'AUTOMATION', roles: ['AGENT'] });
  });

  test('a user\'s shape is checked: portal users, supervisors, logins, references; nothing is written', async () => {
    const before = await adminState();
    const refusals: Array<[string, Record<string, unknown>, string, string | null]> = [
      ['createUser', { name: 'X', login: 'x-customer', roles: ['CUSTOMER'] }, 'VALIDATION', 'customerId'],
      ['createUser', { name: 'X', login: 'x-mixed', roles: ['CUSTOMER', 'AGENT'], customerId: t.gid.customer('ACME') }, 'VALIDATION', 'roles'],
      ['createUser', { name: 'X', login: 'x-staff', roles: ['AGENT'], customerId: t.gid.customer('ACME') }, 'VALIDATION', 'customerId'],
      ['createUser', { name: 'X', login: 'x-supervisor', roles: ['SUPERVISOR'] }, 'VALIDATION', 'departmentId'],
      ['createUser', { name: 'X', login: 'x-dept', roles: ['TECHNICIAN'], departmentId: t.gid.customer('ACME') }, 'NOT_FOUND', 'departmentId'],
      ['createUser', { name: 'X', login: 'Bad Login!', roles: ['AGENT'] }, 'VALIDATION', 'login'],
      ['createUser', { name: 'X', login: 'x-none', roles: [] }, 'VALIDATION', 'roles'],
      ['createUser', { name: 'X', login: 'erp-sync', roles: ['AGENT'] }, 'VALIDATION', 'login'],
      ['updateUser', { id: t.gid.user('ADMIN'), roles: ['AGENT'] }, 'VALIDATION', 'roles'],
      ['deactivateUser', { id: t.gid.user('ADMIN') }, 'VALIDATION', 'id'],
      ['updateUser', { id: t.gid.user('TECHNICIAN'), roles: ['SUPERVISOR'], departmentId: null }, 'VALIDATION', 'departmentId'],
      ['createDepartment', { code: 'TECH', name: 'again' }, 'VALIDATION', 'code'],
      ['deactivateDepartment', { id: t.gid.department('TECH') }, 'VALIDATION', 'id'],
      ['setDepartmentSupervisors', { departmentId: t.gid.department('TECH'), userIds: [t.gid.user('CUSTOMER_ACME')] }, 'VALIDATION', 'userIds'],
      ['changeCustomerTier', { id: t.gid.customer('ACME'), tier: 'STANDARD', reason: 'same' }, 'VALIDATION', 'tier'],
      ['issueApiToken', { userId: t.gid.department('TECH'), label: 'x' }, 'NOT_FOUND', 'userId'],
      // blank names (only spaces) are no names
      ['createUser', { name: '   ', login: 'x-blank', roles: ['AGENT'], departmentId: t.gid.department('CS') }, 'VALIDATION', 'name'],
      ['updateUser', { id: t.gid.user('AGENT_2'), name: '  ' }, 'VALIDATION', 'name'],
      ['createDepartment', { code: 'BLANK', name: ' ' }, 'VALIDATION', 'name'],
      ['renameDepartment', { id: t.gid.department('SALES'), name: '\t ' }, 'VALIDATION', 'name'],
      ['createCustomer', { code: 'BLANK', name: '  ' }, 'VALIDATION', 'name'],
      ['renameCustomer', { id: t.gid.customer('ACME'), name: ' ' }, 'VALIDATION', 'name'],
      ['issueApiToken', { userId: t.gid.user('AGENT_2'), label: '  ' }, 'VALIDATION', 'label'],
      // regions: only those of the region table, and none for a portal user
      ['createUser', { name: 'X', login: 'x-region', roles: ['TECHNICIAN'], departmentId: t.gid.department('TECH'), regionCode: 'NOWHERE' }, 'VALIDATION', 'regionCode'],
      ['createUser', { name: 'X', login: 'x-portal-region', roles: ['CUSTOMER'], customerId: t.gid.customer('ACME'), regionCode: 'EAST' }, 'VALIDATION', 'regionCode'],
      ['updateUser', { id: t.gid.user('TECHNICIAN'), regionCode: 'east' }, 'VALIDATION', 'regionCode'],
      ['createCustomer', { code: 'NOWHERE', name: 'Nowhere Ltd', regionCode: 'ATLANTIS' }, 'VALIDATION', 'regionCode'],
    ];
    for (const [mutation, input, code, field] of refusals) {
      const out = await admin('ADMIN', mutation, input);
      expect({ mutation, input, errors: out.userErrors.map((e: any) => [e.code, e.field]) }).toEqual({ mutation, input, errors: [[code, field]] });
      if (field === 'name') expect(out.userErrors[0].message).toBe('name must not be blank');
    }
    expect(await adminState()).toBe(before);
  });

  test('a technician\'s and a customer\'s service region is set, changed and cleared, each change audited', async () => {
    const { user } = await adminOk('createUser', { name: 'Tian Region', login: 'tian.region', roles: ['TECHNICIAN'], departmentId: t.gid.department('TECH'), regionCode: 'EAST' }, 'user { id regionCode }');
    expect(user.regionCode).toBe('EAST');
    expect((await lastEvents(1))[0]).toMatchObject({ event: 'CREATE_USER', subjectId: user.id, changes: { regionCode: { from: null, to: 'EAST' } } });
    const moved = await adminOk('updateUser', { id: user.id, regionCode: 'NORTH' }, 'user { regionCode }');
    expect(moved.user.regionCode).toBe('NORTH');
    expect((await lastEvents(1))[0]).toMatchObject({ event: 'UPDATE_USER', subjectId: user.id, changes: { regionCode: { from: 'EAST', to: 'NORTH' } } });
    // left out: kept; null: cleared
    expect((await adminOk('updateUser', { id: user.id, name: 'Tian Region (外勤)' }, 'user { regionCode }')).user.regionCode).toBe('NORTH');
    expect((await adminOk('updateUser', { id: user.id, regionCode: null }, 'user { regionCode }')).user.regionCode).toBeNull();
    expect((await lastEvents(1))[0].changes).toEqual({ regionCode: { from: 'NORTH', to: null } });
    const [row] = await t.owner.query(`SELECT region_code FROM app_user WHERE id = $1`, [idOf(user.id, 'User')]);
    expect(row.region_code).toBeNull();

    const { customer } = await adminOk('createCustomer', { code: 'SOUTHWIND', name: '南風 Southwind', regionCode: 'SOUTH' }, 'customer { id regionCode }');
    expect(customer.regionCode).toBe('SOUTH');
    expect((await lastEvents(1))[0]).toMatchObject({ event: 'CREATE_CUSTOMER', subjectId: customer.id, changes: { regionCode: { from: null, to: 'SOUTH' } } });
    // an existing customer's site moves: audited; an unknown region or no change is refused and changes nothing
    const moved2 = await adminOk('changeCustomerRegion', { id: customer.id, regionCode: 'CENTRAL', reason: 'new plant in Wuhan' }, 'customer { regionCode }');
    expect(moved2.customer.regionCode).toBe('CENTRAL');
    expect((await lastEvents(1))[0]).toMatchObject({ event: 'CHANGE_CUSTOMER_REGION', subjectId: customer.id, reason: 'new plant in Wuhan', changes: { regionCode: { from: 'SOUTH', to: 'CENTRAL' } } });
    for (const regionCode of ['ATLANTIS', 'CENTRAL']) {
      const res = await t.gql('ADMIN', `mutation($input: ChangeCustomerRegionInput!) { changeCustomerRegion(input: $input) { customer { regionCode } userErrors { code field } } }`, { input: { id: customer.id, regionCode } });
      expect(res.data.changeCustomerRegion).toEqual({ customer: null, userErrors: [{ code: 'VALIDATION', field: 'regionCode' }] });
    }
    const [site] = await t.owner.query(`SELECT region_code FROM customer WHERE id = $1`, [idOf(customer.id, 'Customer')]);
    expect(site.region_code).toBe('CENTRAL');
  });

  test('setDepartmentSupervisors makes exactly these users the department\'s supervisors; the new one approves at once', async () => {
    const { department } = await adminOk('createDepartment', { code: 'FIELD', name: '外勤部 Field service' }, 'department { id code active }');
    const out = await adminOk('setDepartmentSupervisors', { departmentId: department.id, userIds: [t.gid.user('TECHNICIAN_2')] }, 'supervisors { name roles department { code } }');
    expect(out.supervisors).toEqual([{ name: 'Huang Lei (服務人員)', roles: ['TECHNICIAN', 'SUPERVISOR'], department: { code: 'FIELD' } }]);
    // replaced: TECHNICIAN_2 loses the role, keeps the department; nobody else is touched
    await adminOk('setDepartmentSupervisors', { departmentId: department.id, userIds: [] });
    const users = (await t.gql('ADMIN', `{ users { id roles department { code } } }`)).data.users;
    expect(users.find((u: any) => u.id === t.gid.user('TECHNICIAN_2'))).toEqual({ id: t.gid.user('TECHNICIAN_2'), roles: ['TECHNICIAN'], department: { code: 'FIELD' } });
    await adminOk('updateUser', { id: t.gid.user('TECHNICIAN_2'), departmentId: t.gid.department('TECH') });
    // the supervisor's new role works on the next request, despite the 30 s token cache
    const sr = await acceptedRequest(t);
    const task = await pendingTask(t, sr.id);
    // not a supervisor yet: the task is not even in their scope
    expect((await admin('TECHNICIAN_2', 'approveServiceTask', { id: task.id })).userErrors.map((e: any) => e.code)).toEqual(['NOT_FOUND']);
    await adminOk('updateUser', { id: t.gid.user('TECHNICIAN_2'), roles: ['TECHNICIAN', 'SUPERVISOR'] });
    expect((await ok(t, 'TECHNICIAN_2', 'approveServiceTask', { id: task.id })).state).toBe('ASSIGNED');
    await adminOk('updateUser', { id: t.gid.user('TECHNICIAN_2'), roles: ['TECHNICIAN'] });
  });
});

describe('tokens', () => {
  test('a deactivated user\'s token is refused on the very next request despite the cache; reactivated, it works again', async () => {
    expect((await t.gql('AGENT_2', '{ me { name } }')).status).toBe(200); // cached now
    await adminOk('deactivateUser', { id: t.gid.user('AGENT_2'), reason: 'on leave' });
    expect((await t.gql('AGENT_2', '{ me { name } }')).status).toBe(401);
    await adminOk('reactivateUser', { id: t.gid.user('AGENT_2') });
    expect((await t.gql('AGENT_2', '{ me { name } }')).status).toBe(200);
    const [deactivated, reactivated] = (await lastEvents(2)) as any[];
    expect([deactivated.event, deactivated.reason, deactivated.changes, reactivated.event]).toEqual(['DEACTIVATE_USER', 'on leave', { active: { from: true, to: false } }, 'REACTIVATE_USER']);
  });

  test('a rotated token works during the overlap and is refused after it; the new one works; revoked, refused on the next request', async () => {
    const issued = await adminOk('issueApiToken', { userId: t.gid.user('AUTOMATION_DISPATCH'), label: 'erp' }, 'token apiToken { id }');
    expect((await asToken(issued.token)).status).toBe(200); // cached for 30 s from here
    const rotated = await adminOk('rotateApiToken', { id: issued.apiToken.id, overlapSeconds: 2 }, 'token apiToken { id label active }');
    expect(rotated.token).not.toBe(issued.token);
    expect(rotated.apiToken).toMatchObject({ label: 'erp', active: true });
    const listed = (await t.gql('ADMIN', `{ apiTokens(userId: "${t.gid.user('AUTOMATION_DISPATCH')}") { id active expiresAt } }`)).data.apiTokens;
    const old = listed.find((x: any) => x.id === issued.apiToken.id);
    expect(old.active).toBe(true);
    expect(Date.parse(old.expiresAt) - Date.now()).toBeLessThanOrEqual(2_000);
    // within the overlap: both work
    expect((await asToken(issued.token)).status).toBe(200);
    expect((await asToken(rotated.token)).status).toBe(200);
    // after it: the old one is refused (the cache does not outlive the overlap), the new one still works
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(old.expiresAt) - Date.now()) + 300));
    expect((await asToken(issued.token)).status).toBe(401);
    expect((await asToken(rotated.token)).status).toBe(200);
    expect((await admin('ADMIN', 'rotateApiToken', { id: issued.apiToken.id, overlapSeconds: 0 })).userErrors.map((e: any) => e.code)).toEqual(['VALIDATION']);
    // revoked: refused on the next request
    await adminOk('revokeApiToken', { id: rotated.apiToken.id, reason: 'leaked' });
    expect((await asToken(rotated.token)).status).toBe(401);
    const events = (await lastEvents(4)).map((e: any) => e.event);
    expect(events).toEqual(['ISSUE_TOKEN', 'ROTATE_TOKEN', 'ISSUE_TOKEN', 'REVOKE_TOKEN']);
  });
});

describe('token rotation and revocation: answers and trail', () => {
  test('a token already rotated is not rotated again; revoke answers the revoked token; the trail records the to-values', async () => {
    const issued = await adminOk('issueApiToken', { userId: t.gid.user('AUTOMATION_DISPATCH'), label: 'twice' }, 'apiToken { id }');
    const rotated = await adminOk('rotateApiToken', { id: issued.apiToken.id, overlapSeconds: 600 }, 'token apiToken { id }');
    const listed = async () => (await t.gql('ADMIN', `{ apiTokens(userId: "${t.gid.user('AUTOMATION_DISPATCH')}") { id active expiresAt } }`)).data.apiTokens;
    const old = (await listed()).find((x: any) => x.id === issued.apiToken.id);
    expect(old.active).toBe(true);
    // the trail's rotation says until when the old token works, and which token replaced it
    const [rotation] = (await lastEvents(2)) as any[];
    expect(rotation).toMatchObject({ event: 'ROTATE_TOKEN', subjectId: issued.apiToken.id });
    expect(rotation.changes.replacedBy).toEqual({ from: null, to: rotated.apiToken.id });
    expect(Date.parse(rotation.changes.expiresAt.to)).toBe(Date.parse(old.expiresAt));

    // rotated again in its overlap: refused, nothing changed (no second successor, the expiry stays)
    const before = await adminState();
    const again = await admin('ADMIN', 'rotateApiToken', { id: issued.apiToken.id, overlapSeconds: 604_800 }, 'token apiToken { id }');
    expect(again.userErrors.map((e: any) => [e.code, e.field])).toEqual([['VALIDATION', 'id']]);
    expect(again.userErrors[0].message).toMatch(/already rotated/);
    expect(again.token).toBeNull();
    expect(await adminState()).toBe(before);
    // its successor rotates as any token
    await adminOk('rotateApiToken', { id: rotated.apiToken.id, overlapSeconds: 0 });

    // revoked: the answer is the revoked token, and the trail says when
    const res = await t.gql('ADMIN', `mutation($input: RevokeApiTokenInput!) { revokeApiToken(input: $input) { apiToken { id label active revokedAt } ${USER_ERRORS} } }`, { input: { id: issued.apiToken.id, reason: 'retired' } });
    expect(res.errors).toBeUndefined();
    const revoked = res.data.revokeApiToken;
    expect(revoked.userErrors).toEqual([]);
    expect(revoked.apiToken).toMatchObject({ id: issued.apiToken.id, label: 'twice', active: false });
    expect(Date.parse(revoked.apiToken.revokedAt)).toBeGreaterThan(Date.now() - 60_000);
    const [revocation] = await lastEvents(1);
    expect(revocation).toMatchObject({ event: 'REVOKE_TOKEN', subjectId: issued.apiToken.id, reason: 'retired' });
    expect(Date.parse(revocation.changes.revokedAt.to)).toBe(Date.parse(revoked.apiToken.revokedAt));
    expect((await listed()).find((x: any) => x.id === issued.apiToken.id).active).toBe(false);
  });
});

describe('settings', () => {
  test('a changed executive threshold applies to the next approval, and is recorded', async () => {
    const before = await settingsNow();
    expect(before.executiveThreshold).toMatchObject({ value: 50000, version: 1, changedBy: null, reason: 'initial value, from the environment' });
    const sr = await acceptedRequest(t);
    // 30,000 CNY is under 50,000: the supervisor's approval completes it
    const under = await pendingTask(t, sr.id, { estimatedCost: 30000 });
    expect(under.tier).toBe('SUPERVISOR');
    const changed = await adminOk('changeSetting', { key: 'executiveThreshold', value: 20000, reason: 'board decision 2026-12', expectedVersion: 1 }, 'setting { key value version reason changedBy { name } }');
    expect(changed.setting).toEqual({ key: 'executiveThreshold', value: 20000, version: 2, reason: 'board decision 2026-12', changedBy: { name: 'Ada Admin' } });
    // the same amount, submitted after the change, needs an executive: the supervisor only endorses
    const over = await pendingTask(t, sr.id, { estimatedCost: 30000 });
    expect(over.tier).toBe('EXECUTIVE');
    expect((await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: over.id })).state).toBe('PENDING_EXECUTIVE');
    // the task submitted before keeps its tier (its approval was asked under the old threshold)
    expect((await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: under.id })).state).toBe('ASSIGNED');
    const [event] = await lastEvents(1);
    expect(event).toMatchObject({ subjectType: 'Setting', subjectId: 'executiveThreshold', event: 'CHANGE_SETTING', actor: { name: 'Ada Admin' }, actorRoles: ['ADMIN'], reason: 'board decision 2026-12', changes: { value: { from: 50000, to: 20000 }, version: { from: 1, to: 2 } } });
    await adminOk('changeSetting', { key: 'executiveThreshold', value: 50000, reason: 'back', expectedVersion: 2 });
  });

  test('a changed deadline length applies to the deadlines set from then on; changed weights to the next scorecard', async () => {
    const reviewDue = async () => {
      const sr = await submittedRequest(t);
      const res = await t.gql('AGENT', `query($id: ID!) { serviceRequest(id: $id) { deadlines { kind dueAt } } }`, { id: sr.id });
      return Date.parse(res.data.serviceRequest.deadlines.find((d: any) => d.kind === 'REQUEST_REVIEW').dueAt);
    };
    const before = await reviewDue();
    const { version } = (await settingsNow())['deadline.requestReviewWorkingDays'];
    await adminOk('changeSetting', { key: 'deadline.requestReviewWorkingDays', value: 6, reason: 'holiday season staffing', expectedVersion: version });
    const after = await reviewDue();
    // five more working days: at least five more calendar days (more across a weekend or a holiday)
    expect(after - before).toBeGreaterThanOrEqual(5 * 24 * 3_600_000);
    await adminOk('changeSetting', { key: 'deadline.requestReviewWorkingDays', value: 1, reason: 'back to SPEC §4', expectedVersion: version + 1 });
    expect((await reviewDue()) - before).toBeLessThan(60_000);

    const weights = async () => (await t.gql('EXECUTIVE', `{ technicianScorecards { weights { work attitude ability } } }`)).data.technicianScorecards.map((c: any) => c.weights);
    expect((await weights())[0]).toEqual({ work: 60, attitude: 20, ability: 20 });
    const w = (await settingsNow())['scorecard.weights'].version;
    await adminOk('changeSetting', { key: 'scorecard.weights', value: { work: 70, attitude: 15, ability: 15 }, reason: 'HR', expectedVersion: w });
    expect(new Set((await weights()).map((x: any) => JSON.stringify(x)))).toEqual(new Set([JSON.stringify({ work: 70, attitude: 15, ability: 15 })]));
    await adminOk('changeSetting', { key: 'scorecard.weights', value: { work: 60, attitude: 20, ability: 20 }, reason: 'back', expectedVersion: w + 1 });
  });

  test('bad values, unknown keys and stale versions are refused with a clear error, and change nothing', async () => {
    const before = await adminState();
    const version = (await settingsNow()).executiveThreshold.version;
    const refusals: Array<[Record<string, unknown>, string, string]> = [
      [{ key: 'executiveTreshold', value: 1000 }, 'VALIDATION', 'key'],
      [{ key: 'executiveThreshold', value: -5 }, 'VALIDATION', 'value'],
      [{ key: 'executiveThreshold', value: '20000' }, 'VALIDATION', 'value'],
      [{ key: 'executiveThreshold', value: 50000 }, 'VALIDATION', 'value'],
      [{ key: 'executiveThreshold', value: 1000.555 }, 'VALIDATION', 'value'], // money: at most 2 decimals
      [{ key: 'executiveThreshold', value: 30000, expectedVersion: version - 1 }, 'STALE_VERSION', 'expectedVersion'],
      [{ key: 'deadline.requestReviewWorkingDays', value: 1.5, expectedVersion: 1 }, 'VALIDATION', 'value'],
      [{ key: 'deadline.fieldOnSiteHours', value: 0, expectedVersion: 1 }, 'VALIDATION', 'value'],
      [{ key: 'retention.defaultYears', value: 0, expectedVersion: 1 }, 'VALIDATION', 'value'],
      [{ key: 'retention.byType', value: { SERVICE_REQUESTS: 10 }, expectedVersion: 1 }, 'VALIDATION', 'value'],
      [{ key: 'retention.byType', value: [10], expectedVersion: 1 }, 'VALIDATION', 'value'],
      [{ key: 'scorecard.weights', value: { work: 60, attitude: 20 }, expectedVersion: 1 }, 'VALIDATION', 'value'],
      [{ key: 'scorecard.weights', value: { work: 0, attitude: 0, ability: 0 }, expectedVersion: 1 }, 'VALIDATION', 'value'],
    ];
    for (const [input, code, field] of refusals) {
      const out = await admin('ADMIN', 'changeSetting', { expectedVersion: version, reason: 'test', ...input });
      expect({ input, errors: out.userErrors.map((e: any) => [e.code, e.field]) }).toEqual({ input, errors: [[code, field]] });
      expect(out.userErrors[0].message.length).toBeGreaterThan(10);
    }
    expect(await adminState()).toBe(before);
  });

  test('every key is listed with its version; a change is seen by another API process serving the same database', async () => {
    const keys = Object.keys(await settingsNow()).sort();
    expect(keys).toEqual(expect.arrayContaining(['executiveThreshold', 'deadline.requestReviewWorkingDays', 'deadline.executiveEscalationHours', 'retention.defaultYears', 'retention.byType', 'scorecard.weights']));
    const { loadConfig } = await import('../../src/config');
    const base = loadConfig({ NODE_ENV: 'test' });
    const other = await startApi(t.dataSource, { ...base, tokenCacheMs: 30_000, jobs: { ...base.jobs, enabled: false } }, undefined, 0);
    let deactivated = false;
    try {
      const ask = async (token: string, query: string) => (await fetch(other.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query }) })).json() as Promise<any>;
      const weightsThere = async () => (await ask(t.tokens.ADMIN, '{ settings { key value version } }')).data.settings.find((s: any) => s.key === 'scorecard.weights');
      const w = (await settingsNow())['scorecard.weights'].version;
      expect(await weightsThere()).toEqual({ key: 'scorecard.weights', value: { work: 60, attitude: 20, ability: 20 }, version: w });
      expect((await ask(t.tokens.AGENT_2, '{ me { name } }')).data.me.name).toMatch(/^Zhou Min/); // cached there
      await adminOk('changeSetting', { key: 'scorecard.weights', value: { work: 50, attitude: 25, ability: 25 }, reason: 'HR policy 2027', expectedVersion: w });
      await adminOk('deactivateUser', { id: t.gid.user('AGENT_2') });
      deactivated = true;
      await eventually(async () => (await weightsThere()).version === w + 1);
      expect(await weightsThere()).toEqual({ key: 'scorecard.weights', value: { work: 50, attitude: 25, ability: 25 }, version: w + 1 });
      await eventually(async () => (await fetch(other.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${t.tokens.AGENT_2}` }, body: '{"query":"{ me { name } }"}' })).status === 401);
    } finally {
      if (deactivated) await adminOk('reactivateUser', { id: t.gid.user('AGENT_2') });
      await other.close();
    }
  });
});

describe('customers and their tier', () => {
  test('a tier change is audited and recomputes the tier of the customer\'s documents not yet approved, and only those', async () => {
    const sr = await acceptedRequest(t); // ACME, STANDARD
    const pending = await pendingTask(t, sr.id); // 1,200 CNY: supervisor tier
    const approved = await assignedTask(t, sr.id);
    expect([pending.tier, approved.tier]).toEqual(['SUPERVISOR', 'SUPERVISOR']);
    const versionBefore = pending.version;
    const out = await adminOk('changeCustomerTier', { id: t.gid.customer('ACME'), tier: 'KEY', reason: 'framework contract signed' }, 'customer { code tier } recomputed { documentType documentId number state from to }');
    expect(out.customer).toEqual({ code: 'ACME', tier: 'KEY' });
    expect(out.recomputed).toContainEqual({ documentType: 'ServiceTask', documentId: pending.id, number: pending.number, state: 'PENDING_APPROVAL', from: 'SUPERVISOR', to: 'EXECUTIVE' });
    expect(out.recomputed.map((r: any) => r.documentId)).not.toContain(approved.id);
    const read = async (id: string) => (await t.gql('AGENT', `query($id: ID!) { serviceTask(id: $id) { tier version state } }`, { id })).data.serviceTask;
    expect(await read(pending.id)).toEqual({ tier: 'EXECUTIVE', version: versionBefore, state: 'PENDING_APPROVAL' });
    expect((await read(approved.id)).tier).toBe('SUPERVISOR');
    // the recomputed tier is the one the approval follows: the supervisor only endorses now
    expect((await ok(t, 'SUPERVISOR_TECH_2', 'approveServiceTask', { id: pending.id })).state).toBe('PENDING_EXECUTIVE');
    // audited: the tier change, then each recomputation
    const events = await lastEvents(1 + out.recomputed.length);
    expect(events[0]).toMatchObject({ subjectType: 'Customer', subjectId: t.gid.customer('ACME'), event: 'CHANGE_CUSTOMER_TIER', reason: 'framework contract signed', changes: { tier: { from: 'STANDARD', to: 'KEY' } } });
    expect(events.slice(1)).toContainEqual(expect.objectContaining({ subjectType: 'ServiceTask', subjectId: pending.id, event: 'RECOMPUTE_TIER', changes: { tier: { from: 'SUPERVISOR', to: 'EXECUTIVE' }, number: { from: null, to: pending.number } } }));
    // and back: a new pending task of ACME is brought down again
    const another = await pendingTask(t, sr.id);
    expect(another.tier).toBe('EXECUTIVE');
    const back = await adminOk('changeCustomerTier', { id: t.gid.customer('ACME'), tier: 'STANDARD', reason: 'contract ended' }, 'recomputed { documentId from to }');
    expect(back.recomputed).toContainEqual({ documentId: another.id, from: 'EXECUTIVE', to: 'SUPERVISOR' });
    expect(back.recomputed.map((r: any) => r.documentId)).not.toContain(pending.id); // PENDING_EXECUTIVE: the endorsement stands
  });
});

describe('the admin audit trail', () => {
  test('pages oldest first, verifies, cannot be altered by the API\'s login, and tampering is found', async () => {
    const all: any[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await trail(7, after);
      all.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(all.length).toBeGreaterThan(20);
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all.slice(1).every((e, i) => e.prevHash === all[i].hash)).toBe(true);
    const verify = async (fromSeq = 1) => (await t.gql('ADMIN', `query($f: Int) { verifyAdminAuditTrail(fromSeq: $f) { valid eventCount brokenAtSeq reason complete } }`, { f: fromSeq })).data.verifyAdminAuditTrail;
    expect(await verify()).toEqual({ valid: true, eventCount: all.length, brokenAtSeq: null, reason: null, complete: true });
    expect(await verify(5)).toMatchObject({ valid: true, eventCount: all.length - 4 });
    // append-only for the API's own login
    await expect(t.dataSource.query(`UPDATE admin_audit_event SET reason = 'x' WHERE seq = 3`)).rejects.toThrow(/permission denied/);
    await expect(t.dataSource.query(`DELETE FROM admin_audit_event WHERE seq = 3`)).rejects.toThrow(/permission denied/);
    // the owner can, and the chain says where
    const target = all.find((e) => e.subjectId === 'executiveThreshold');
    await t.owner.query(`UPDATE admin_audit_event SET changes = jsonb_set(changes, '{value,to}', '99999') WHERE seq = $1`, [target.seq]);
    expect(await verify()).toMatchObject({ valid: false, brokenAtSeq: target.seq });
  });
});

async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  expect(await check()).toBe(true);
}
