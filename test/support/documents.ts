/** One-line builders for documents, over the real API. */
import type { TestApi } from './api';

export const SR_FIELDS = `id number state version channel urgency flagged contactName description returnReason rejectionReason cancellationReason estimatedAmount complexity internalNote
  targetDepartment { code } customer { code }`;

export const USER_ERRORS = 'userErrors { code message field }';

export const COMPLETE_REQUEST = {
  category: 'AFTER_SALES',
  serviceType: 'REPAIR',
  description: 'The feed pump at line 3 stopped and will not restart.',
  contactName: 'Alice Acme',
  contactPhone: '+86 21 5555 0101',
  address: '88 Harbour Road, Pudong, Shanghai',
  expectedFrom: '2026-12-01T01:00:00.000Z',
  expectedTo: '2026-12-02T09:00:00.000Z',
};

/** Creates a request as `who`; staff must name the customer and channel. */
export async function createRequest(t: TestApi, who = 'CUSTOMER_ACME', input: Record<string, unknown> = {}) {
  const staff = !who.startsWith('CUSTOMER');
  const res = await t.gql(
    who,
    `mutation($input: CreateServiceRequestInput!) { createServiceRequest(input: $input) { serviceRequest { ${SR_FIELDS} } ${USER_ERRORS} } }`,
    { input: { ...COMPLETE_REQUEST, ...(staff ? { customerId: t.gid.customer('ACME'), channel: 'PHONE' } : {}), ...input } },
  );
  expect(res.errors).toBeUndefined();
  expect(res.data.createServiceRequest.userErrors).toEqual([]);
  return res.data.createServiceRequest.serviceRequest;
}

/** Sends one event mutation; returns the payload. */
export async function send(t: TestApi, who: string, mutation: string, input: Record<string, unknown>, headers?: Record<string, string>) {
  const type = await inputTypeOf(t, mutation);
  const res = await t.gql(who, `mutation($input: ${type}!) { ${mutation}(input: $input) { serviceRequest { ${SR_FIELDS} } ${USER_ERRORS} } }`, { input }, headers);
  expect(res.errors).toBeUndefined();
  return res.data[mutation] as { serviceRequest: any; userErrors: Array<{ code: string; message: string; field: string | null }> };
}

const inputTypes = new Map<string, string>();
async function inputTypeOf(t: TestApi, mutation: string): Promise<string> {
  if (!inputTypes.has(mutation)) {
    const res = await t.gql('AGENT', `{ __type(name: "Mutation") { fields { name args { name type { ofType { name } } } } } }`);
    for (const f of res.data.__type.fields) inputTypes.set(f.name, f.args.find((a: any) => a.name === 'input')?.type.ofType.name);
  }
  return inputTypes.get(mutation)!;
}

/** Moves a fresh customer request to SUBMITTED. */
export async function submittedRequest(t: TestApi, who = 'CUSTOMER_ACME', input: Record<string, unknown> = {}) {
  const sr = await createRequest(t, who, input);
  const out = await send(t, who, 'submitServiceRequest', { id: sr.id });
  expect(out.userErrors).toEqual([]);
  return out.serviceRequest;
}
