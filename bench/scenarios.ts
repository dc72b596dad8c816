/**
 * The benchmark's questions, each asked of the API (GraphQL) and of its
 * floor (bench/floor.ts over HTTP, or pgbench for transitions). A scenario
 * makes request bodies from the seeded data; add one here and run.ts picks it up.
 */
import type { BenchIdentities } from './seed';

export interface BenchData extends BenchIdentities {
  /** (customer index, request uuid) pairs: requests the customer may see */
  statusSamples: Array<{ customer: number; id: string }>;
  /** ids of bench_target rows 1..n (DRAFT requests) */
  transitionTargets: string[];
  /** months that have requests: [from, to) ISO */
  months: Array<[string, string]>;
  /** RECEIVED complaints, classified once each in order */
  complaintTargets: string[];
  /** DRAFT requisitions and their creator (an index into technicians), submitted once each in order */
  requisitionTargets: Array<{ id: string; technician: number }>;
}

export interface HttpRequest {
  path: string;
  token: string;
  body: string;
}

export interface Scenario {
  name: string;
  description: string;
  /** request bodies for the API (path /graphql) */
  api(data: BenchData): HttpRequest;
  /** set when the floor answers less than the API on purpose (why): the runner then does not compare their answers */
  floorAnswersLess?: string;
  /** request bodies for the floor server, or a pgbench run of bench/transition.sql over `ndocs` documents */
  floor: { http(data: BenchData): HttpRequest } | { pgbench: { ndocs: number } };
  /** ratio to the floor (requests/s) and statements per request the issue asks for; none for statistics-ready */
  targets: { ratio?: number; statements?: number };
}

const gid = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`, 'utf8').toString('base64url');
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)];
const graphql = (token: string, query: string, variables: Record<string, unknown>): HttpRequest => ({ path: '/graphql', token, body: JSON.stringify({ query, variables }) });

const STATUS = 'query Status($id: ID!) { serviceRequest(id: $id) { number state updatedAt } }';

/** What a portal shows: a customer's requests with their tasks → records → acceptances, assignee and department. Target: 1 statement whatever the page size (compiled reads). */
export const PORTAL_LIST =
  'query PortalList($first: Int) { serviceRequests(first: $first) { pageInfo { hasNextPage } nodes { id number state updatedAt targetDepartment { name } ' +
  'tasks { number state plannedStart plannedEnd assignee { name } department { name } records { number state } acceptances { round state } } } } }';

/** The portal list with the buttons a portal draws: each request's and task's availableEvents (guards evaluated per document). */
export const PORTAL_LIST_ACTIONS = PORTAL_LIST.replace('nodes { id number state updatedAt', 'nodes { id number state updatedAt availableEvents { event allowed code reason }').replace(
  'tasks { number state',
  'tasks { number state availableEvents { event allowed code reason }',
);

const CLASSIFY = 'mutation Classify($id: ID!) { classifyComplaint(input: { id: $id, category: AFTER_SALES, severity: MEDIUM }) { complaint { state version } userErrors { code message } } }';
const SUBMIT_REQUISITION = 'mutation SubmitRequisition($id: ID!) { submitPartsRequisition(input: { id: $id }) { partsRequisition { state version } userErrors { code message } } }';

/** the next of a list consumed in order: each document takes its event once (wraps around — then refused — if the run outlasts the list) */
function sequence<T>(): (items: T[]) => T {
  let next = 0;
  return (items) => items[next++ % items.length];
}
const nextComplaint = sequence<string>();
const nextRequisition = sequence<{ id: string; technician: number }>();

const STATS =
  'query Stats($first: Int, $filter: ServiceRequestFilter) { serviceRequests(first: $first, filter: $filter) { totalCount nodes { id number state createdAt } } }';

const UPDATE = 'mutation Update($id: ID!, $value: String) { updateServiceRequest(input: { id: $id, specialRequirements: $value }) { serviceRequest { state version } userErrors { code message } } }';

let counter = 0;
const nextValue = () => `bench ${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;

function statsVariables(data: BenchData) {
  const [from, to] = pick(data.months);
  return {
    first: 20,
    filter: { state: [pick(['COMPLETED', 'ACCEPTED', 'IN_SERVICE'])], departmentId: gid('Department', pick(data.departmentIds)), createdFrom: from, createdTo: to },
  };
}

function statusVariables(data: BenchData) {
  const s = pick(data.statusSamples);
  return { token: data.customers[s.customer].token, variables: { id: gid('ServiceRequest', s.id) } };
}

function transition(ndocs: number): Pick<Scenario, 'api' | 'floor'> {
  return {
    api: (data) => graphql(data.agent.token, UPDATE, { id: gid('ServiceRequest', data.transitionTargets[Math.floor(Math.random() * Math.min(ndocs, data.transitionTargets.length))]), value: nextValue() }),
    floor: { pgbench: { ndocs } },
  };
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'status',
    description: "a customer's serviceRequest(id) { number state updatedAt } on random ids of its own requests",
    api(data) {
      const { token, variables } = statusVariables(data);
      return graphql(token, STATUS, variables);
    },
    floor: {
      http(data) {
        const { token, variables } = statusVariables(data);
        return { path: '/status', token, body: JSON.stringify({ variables }) };
      },
    },
    targets: { ratio: 0.5, statements: 1 },
  },
  {
    name: 'portal-list',
    description: "20 of a customer's requests, newest first, with their tasks (assignee, department) → records → acceptances",
    api: (data) => graphql(pick(data.customers).token, PORTAL_LIST, { first: 20 }),
    floor: { http: (data) => ({ path: '/portal-list', token: pick(data.customers).token, body: JSON.stringify({ variables: { first: 20 } }) }) },
    targets: { ratio: 0.6, statements: 1 },
  },
  {
    name: 'transition',
    description: 'updateServiceRequest (DRAFT → DRAFT, specialRequirements changed) by an agent on random DRAFT requests; floor: pgbench running bench/transition.sql',
    ...transition(Number.MAX_SAFE_INTEGER),
    // issue 12: ≥ 0.3 of pgbench, ≤ 4 statements in the request (BEGIN and COMMIT counted; the outbox job after commit is reported beside it)
    targets: { ratio: 0.3, statements: 4 },
  },
  {
    name: 'transition-hot',
    description: 'the same on 10 hot documents (row-lock contention)',
    ...transition(10),
    targets: { ratio: 0.3, statements: 4 },
  },
  {
    name: 'portal-list-actions',
    description: "the portal list with each request's and task's availableEvents { event allowed code reason }; floor: the portal list without them",
    floorAnswersLess: 'the floor draws no buttons: the scenario shows what they cost',
    api: (data) => graphql(pick(data.customers).token, PORTAL_LIST_ACTIONS, { first: 20 }),
    floor: { http: (data) => ({ path: '/portal-list', token: pick(data.customers).token, body: JSON.stringify({ variables: { first: 20 } }) }) },
    targets: {},
  },
  {
    name: 'complaint-transition',
    description: 'classifyComplaint (RECEIVED → CLASSIFIED) by an agent, each seeded complaint once; floor: pgbench running bench/transition.sql',
    api: (data) => graphql(data.agent.token, CLASSIFY, { id: gid('Complaint', nextComplaint(data.complaintTargets)) }),
    floor: { pgbench: { ndocs: Number.MAX_SAFE_INTEGER } },
    targets: {},
  },
  {
    name: 'requisition-transition',
    description: 'submitPartsRequisition (DRAFT → PENDING_APPROVAL, tier computed) by its technician, each seeded requisition once; floor: pgbench running bench/transition.sql',
    api(data) {
      const r = nextRequisition(data.requisitionTargets);
      return graphql(data.technicians[r.technician].token, SUBMIT_REQUISITION, { id: gid('PartsRequisition', r.id) });
    },
    floor: { pgbench: { ndocs: Number.MAX_SAFE_INTEGER } },
    targets: {},
  },
  {
    name: 'statistics-ready',
    description: 'serviceRequests(first: 20, filter: { state, departmentId, createdFrom, createdTo }) { totalCount nodes { … } } by an executive, a random month',
    api: (data) => graphql(data.executive.token, STATS, statsVariables(data)),
    floor: { http: (data) => ({ path: '/stats', token: data.executive.token, body: JSON.stringify({ variables: statsVariables(data) }) }) },
    targets: {},
  },
];
