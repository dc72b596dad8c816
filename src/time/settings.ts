/**
 * Deadline and escalation settings (SPEC §4 defaults), all in one place, each from the environment. The lengths
 * and the escalation period are the initial values of the `deadline.*` settings: the rules read the running
 * values from src/config/settings.ts (ADMIN changes them with changeSetting).
 * Hours are clock hours unless the name says working hours; working days follow the calendar.
 */
import { parseBusinessHours, type BusinessHours } from './calendar';

export interface DeadlineSettings {
  /** business hours of a working day (BUSINESS_HOURS, default 09:00-18:00) */
  businessHours: BusinessHours;
  /** the department whose supervisors hear of customer service's breaches (review, verification, return visit, consultation replies), and of any deadline with no department of its own */
  customerServiceDepartmentCode: string;
  /** request review: working days from submission, and working hours when URGENT or CRITICAL */
  requestReviewWorkingDays: number;
  requestReviewUrgentWorkingHours: number;
  /** a task created: working days after the request's acceptance */
  taskCreationWorkingDays: number;
  /** task approval: working days from submission */
  taskApprovalWorkingDays: number;
  /** field response, from the task's assignment: on site within … hours when the site is within the distance, else a first reply within … hours */
  fieldNearDistanceKm: number;
  fieldOnSiteHours: number;
  fieldFirstReplyHours: number;
  /** a service record filed (SUBMIT) within … days of the technician's return to the company (of its actual end while no return is recorded) */
  recordFilingDays: number;
  /** an acceptance verified within … working days of passing */
  acceptanceVerificationWorkingDays: number;
  /** the return visit within … working days of a request's completion */
  returnVisitWorkingDays: number;
  /** a breach still unmet this many hours after it was escalated to the supervisor goes to an executive */
  executiveEscalationHours: number;
  /** cron schedule (5 fields) of the breach sweep */
  breachCron: string;
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number ≥ 0, got "${raw}"`);
  return value;
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = positive(env, name, fallback);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got "${env[name]}"`);
  return value;
}

export function loadDeadlineSettings(env: NodeJS.ProcessEnv = process.env): DeadlineSettings {
  return {
    businessHours: parseBusinessHours(env.BUSINESS_HOURS || '09:00-18:00'),
    customerServiceDepartmentCode: env.CUSTOMER_SERVICE_DEPARTMENT || 'CS',
    requestReviewWorkingDays: whole(env, 'DEADLINE_REQUEST_REVIEW_WORKING_DAYS', 1),
    requestReviewUrgentWorkingHours: positive(env, 'DEADLINE_REQUEST_REVIEW_URGENT_WORKING_HOURS', 4),
    taskCreationWorkingDays: whole(env, 'DEADLINE_TASK_CREATION_WORKING_DAYS', 2),
    taskApprovalWorkingDays: whole(env, 'DEADLINE_TASK_APPROVAL_WORKING_DAYS', 1),
    fieldNearDistanceKm: positive(env, 'DEADLINE_FIELD_NEAR_KM', 100),
    fieldOnSiteHours: positive(env, 'DEADLINE_FIELD_ON_SITE_HOURS', 24),
    fieldFirstReplyHours: positive(env, 'DEADLINE_FIELD_FIRST_REPLY_HOURS', 12),
    recordFilingDays: positive(env, 'DEADLINE_RECORD_FILING_DAYS', 3),
    acceptanceVerificationWorkingDays: whole(env, 'DEADLINE_ACCEPTANCE_VERIFICATION_WORKING_DAYS', 2),
    returnVisitWorkingDays: whole(env, 'DEADLINE_RETURN_VISIT_WORKING_DAYS', 3),
    executiveEscalationHours: positive(env, 'ESCALATE_TO_EXECUTIVE_AFTER_HOURS', 24),
    breachCron: env.DEADLINE_BREACH_CRON || '* * * * *',
  };
}
