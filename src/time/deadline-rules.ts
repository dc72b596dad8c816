/**
 * Every deadline, in one table (SPEC §4): which committed event opens which deadline on which document,
 * when it is due, whom its breach is escalated to, and which events meet it. The engine hands each
 * committed event to src/time/deadlines.ts, inside the event's own transaction, which applies the rules
 * keyed `Type.EVENT`. No document folder imports this file: the documents only announce their events.
 *
 * Fields are read by name from the document row the engine just wrote (the rules know the documents'
 * column names, the documents know nothing of deadlines).
 */
import type { EntityManager } from 'typeorm';
import { addWorkingDays, addWorkingHours } from './working-days';
import type { DeadlineSettings } from './settings';

export enum DeadlineKind {
  REQUEST_REVIEW = 'REQUEST_REVIEW',
  TASK_CREATION = 'TASK_CREATION',
  TASK_APPROVAL = 'TASK_APPROVAL',
  FIELD_ON_SITE = 'FIELD_ON_SITE',
  FIELD_FIRST_REPLY = 'FIELD_FIRST_REPLY',
  RECORD_FILING = 'RECORD_FILING',
  ACCEPTANCE_VERIFICATION = 'ACCEPTANCE_VERIFICATION',
  COMPLAINT_RESOLUTION = 'COMPLAINT_RESOLUTION',
  CONSULTATION_REPLY = 'CONSULTATION_REPLY',
  RETURN_VISIT = 'RETURN_VISIT',
}

/** What a rule sees of one committed event. */
export interface DeadlineEvent {
  type: string;
  event: string;
  from: string | null;
  to: string;
  /** the document as written by the event */
  doc: Record<string, any>;
  /** the event's time (the engine's clock) */
  now: Date;
  manager: EntityManager;
  settings: DeadlineSettings;
  /** the customer service department's id (escalations of its deadlines, and the fallback) */
  customerServiceDepartmentId: string | null;
}

export interface OpenSpec {
  kind: DeadlineKind;
  /** null: not this time (e.g. a record without its end yet) */
  due(e: DeadlineEvent): Date | null | Promise<Date | null>;
  /** whose supervisors hear of a breach */
  department(e: DeadlineEvent): string | null;
}

export interface MeetSpec {
  /** kinds met; '*' closes every open deadline of the document (a cancellation) */
  kinds: DeadlineKind[] | '*';
  /** the document whose deadline is met, when not the event's own */
  on?(e: DeadlineEvent): { type: string; id: string } | null;
}

export interface DeadlineRule {
  /** `Type.EVENT` keys */
  on: string[];
  when?(e: DeadlineEvent): boolean;
  meet?: MeetSpec[];
  open?: OpenSpec[];
}

/** Portal users see only these kinds on a document (the others are internal: approvals, filing, escalation paths). */
export const CUSTOMER_VISIBLE_KINDS: DeadlineKind[] = [
  DeadlineKind.REQUEST_REVIEW,
  DeadlineKind.FIELD_ON_SITE,
  DeadlineKind.FIELD_FIRST_REPLY,
  DeadlineKind.COMPLAINT_RESOLUTION,
  DeadlineKind.CONSULTATION_REPLY,
];

const cs = (e: DeadlineEvent) => e.customerServiceDepartmentId;
const own = (column: string) => (e: DeadlineEvent) => (e.doc[column] as string | null) ?? e.customerServiceDepartmentId;
const URGENT = ['URGENT', 'CRITICAL'];

/** the site's distance of a task's request, in km (null: not given) */
async function siteDistanceKm(e: DeadlineEvent): Promise<number | null> {
  const [row] = await e.manager.query(`SELECT site_distance_km FROM service_request WHERE id = $1`, [e.doc.requestId]);
  return row?.site_distance_km == null ? null : Number(row.site_distance_km);
}

/** near: a site within the distance. An unknown distance counts as far: the first reply within 12 h is then what can be promised. */
const isNear = async (e: DeadlineEvent) => {
  const km = await siteDistanceKm(e);
  return km !== null && km <= e.settings.fieldNearDistanceKm;
};

const hours = (from: Date, h: number) => new Date(from.getTime() + h * 3_600_000);

export const DEADLINE_RULES: DeadlineRule[] = [
  // ── service request ──────────────────────────────────────────────────────────────────────────────
  {
    on: ['ServiceRequest.SUBMIT', 'ServiceRequest.RESUBMIT'],
    open: [
      {
        kind: DeadlineKind.REQUEST_REVIEW,
        due: ({ doc, now, settings }) =>
          URGENT.includes(doc.urgency) ? addWorkingHours(now, settings.requestReviewUrgentWorkingHours) : addWorkingDays(now, settings.requestReviewWorkingDays),
        department: cs,
      },
    ],
  },
  {
    on: ['ServiceRequest.ACCEPT'],
    meet: [{ kinds: [DeadlineKind.REQUEST_REVIEW] }],
    open: [{ kind: DeadlineKind.TASK_CREATION, due: ({ now, settings }) => addWorkingDays(now, settings.taskCreationWorkingDays), department: own('targetDepartmentId') }],
  },
  { on: ['ServiceRequest.RETURN', 'ServiceRequest.REJECT'], meet: [{ kinds: [DeadlineKind.REQUEST_REVIEW] }] },
  { on: ['ServiceRequest.CANCEL'], meet: [{ kinds: '*' }] },
  // the return visit (回訪): opened here; no event records a return visit yet, so nothing meets it (a later issue)
  { on: ['ServiceRequest.RECORD_RETURN_VISIT'], meet: [{ kinds: [DeadlineKind.RETURN_VISIT] }] },
  { on: ['ServiceRequest.COMPLETE'], open: [{ kind: DeadlineKind.RETURN_VISIT, due: ({ now, settings }) => addWorkingDays(now, settings.returnVisitWorkingDays), department: cs }] },

  // ── service task ─────────────────────────────────────────────────────────────────────────────────
  { on: ['ServiceTask.CREATE'], meet: [{ kinds: [DeadlineKind.TASK_CREATION], on: ({ doc }) => ({ type: 'ServiceRequest', id: doc.requestId }) }] },
  { on: ['ServiceTask.SUBMIT'], open: [{ kind: DeadlineKind.TASK_APPROVAL, due: ({ now, settings }) => addWorkingDays(now, settings.taskApprovalWorkingDays), department: own('departmentId') }] },
  { on: ['ServiceTask.REJECT'], meet: [{ kinds: [DeadlineKind.TASK_APPROVAL] }] },
  // assigned (approved at the last tier): the approval is met and the field-response clock starts
  {
    on: ['ServiceTask.APPROVE'],
    when: ({ to }) => to === 'ASSIGNED',
    meet: [{ kinds: [DeadlineKind.TASK_APPROVAL] }],
    open: [
      { kind: DeadlineKind.FIELD_ON_SITE, due: async (e) => ((await isNear(e)) ? hours(e.now, e.settings.fieldOnSiteHours) : null), department: own('departmentId') },
      { kind: DeadlineKind.FIELD_FIRST_REPLY, due: async (e) => ((await isNear(e)) ? null : hours(e.now, e.settings.fieldFirstReplyHours)), department: own('departmentId') },
    ],
  },
  // the first reply is the assignee's recorded contact with the customer fixing time and place (SPEC §3.10, seed 003:
  // 收到派工通知後,及時與客戶聯繫); confirming the task is internal and answers nobody
  { on: ['ServiceTask.RECORD_CONTACT'], meet: [{ kinds: [DeadlineKind.FIELD_FIRST_REPLY] }] },
  // the actual start is being on site (and, where no contact was recorded, the customer has certainly heard from us)
  { on: ['ServiceTask.START'], meet: [{ kinds: [DeadlineKind.FIELD_ON_SITE, DeadlineKind.FIELD_FIRST_REPLY] }] },
  // a disputed assignment is revised and approved again: that approval starts a new clock
  { on: ['ServiceTask.DISPUTE'], meet: [{ kinds: [DeadlineKind.FIELD_ON_SITE, DeadlineKind.FIELD_FIRST_REPLY] }] },
  { on: ['ServiceTask.CANCEL'], meet: [{ kinds: '*' }] },

  // ── service record: filed within N days of the technician's return to the company (seed 002 §4.5.6: 由現場返回公司
  // 2至3日內); while no return is recorded, of the service's end. Opened, or moved, whenever either is set ──────────
  {
    on: ['ServiceRecord.CREATE', 'ServiceRecord.UPDATE'],
    when: ({ doc, to }) => to === 'OPEN' && !!(doc.returnedAt ?? doc.actualEnd),
    open: [{ kind: DeadlineKind.RECORD_FILING, due: ({ doc, settings }) => hours(new Date(doc.returnedAt ?? doc.actualEnd), settings.recordFilingDays * 24), department: own('departmentId') }],
  },
  { on: ['ServiceRecord.SUBMIT'], meet: [{ kinds: [DeadlineKind.RECORD_FILING] }] },

  // ── service acceptance ───────────────────────────────────────────────────────────────────────────
  { on: ['ServiceAcceptance.PASS'], open: [{ kind: DeadlineKind.ACCEPTANCE_VERIFICATION, due: ({ now, settings }) => addWorkingDays(now, settings.acceptanceVerificationWorkingDays), department: cs }] },
  { on: ['ServiceAcceptance.VERIFY', 'ServiceAcceptance.QUERY'], meet: [{ kinds: [DeadlineKind.ACCEPTANCE_VERIFICATION] }] },

  // ── complaint: the complaint computes its own due time by severity on ASSIGN (resolutionDueAt) ─────
  { on: ['Complaint.ASSIGN'], open: [{ kind: DeadlineKind.COMPLAINT_RESOLUTION, due: ({ doc }) => (doc.resolutionDueAt ? new Date(doc.resolutionDueAt) : null), department: own('departmentId') }] },
  { on: ['Complaint.APPROVE'], meet: [{ kinds: [DeadlineKind.COMPLAINT_RESOLUTION] }] },

  // ── consultation: the promised reply (a later DEFER moves it) ────────────────────────────────────
  { on: ['Consultation.DEFER'], open: [{ kind: DeadlineKind.CONSULTATION_REPLY, due: ({ doc }) => (doc.promisedReplyAt ? new Date(doc.promisedReplyAt) : null), department: cs }] },
  { on: ['Consultation.REPLY', 'Consultation.CONVERT'], meet: [{ kinds: [DeadlineKind.CONSULTATION_REPLY] }] },

  // ── records control: an archived document is read-only, so nothing of it can fall due any more (a request
  // archived before its return visit): its open deadlines close, and the breach sweep never escalates it ──
  {
    on: ['ServiceRequest', 'ServiceTask', 'ServiceRecord', 'ServiceAcceptance', 'Complaint', 'Consultation', 'PartsRequisition'].map((type) => `${type}.ARCHIVE`),
    meet: [{ kinds: '*' }],
  },
];

const byKey = new Map<string, DeadlineRule[]>();
for (const rule of DEADLINE_RULES) for (const key of rule.on) byKey.set(key, [...(byKey.get(key) ?? []), rule]);

export const deadlineRulesFor = (type: string, event: string): DeadlineRule[] => byKey.get(`${type}.${event}`) ?? [];
