import { registerEnumType } from 'type-graphql';

export enum ServiceReportState {
  DRAFT = 'DRAFT',
  PENDING_REVIEW = 'PENDING_REVIEW',
  PENDING_APPROVAL = 'PENDING_APPROVAL',
  ISSUED = 'ISSUED',
  CANCELLED = 'CANCELLED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(ServiceReportState, { name: 'ServiceReportState' });

/** seed 002 §4.4, §4.7, §4.9 */
export enum ServiceReportKind {
  /** 月度售後服務情況報表 / 月度服務簡報: a calendar month */
  MONTHLY = 'MONTHLY',
  /** 半年度: January–June (half 1) or July–December (half 2) */
  HALF_YEARLY = 'HALF_YEARLY',
  /** 年度: a calendar year */
  YEARLY = 'YEARLY',
  /** 售後服務計劃: the plan for a year, drawn up each December before it */
  ANNUAL_PLAN = 'ANNUAL_PLAN',
  /** 預投維修備件計劃: the spare-parts plan for a year, drawn up before September before it */
  SPARE_PARTS_PLAN = 'SPARE_PARTS_PLAN',
}
registerEnumType(ServiceReportKind, {
  name: 'ServiceReportKind',
  description: 'Reports (MONTHLY, HALF_YEARLY, YEARLY) freeze figures from the statistics; plans (ANNUAL_PLAN, SPARE_PARTS_PLAN) carry plan items written by the department',
});

export const PLAN_KINDS: readonly ServiceReportKind[] = [ServiceReportKind.ANNUAL_PLAN, ServiceReportKind.SPARE_PARTS_PLAN];
export const isPlan = (kind: string): boolean => PLAN_KINDS.includes(kind as ServiceReportKind);
