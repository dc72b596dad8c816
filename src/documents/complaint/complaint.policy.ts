/**
 * Who reads which complaints (SPEC §7): agents and executives all; supervisors of the responsible department;
 * portal users their own organisation's; the records custodian archived ones. Portal users never see how it
 * was judged internally: cause, responsibility, proposed remedy, compensation, internal notes, the
 * executive's rejection, the approvals, and the RESOLVE / APPROVE / REJECT events. They see the state, the
 * classification, the responsible department, the deadline, and what customer service told them (NOTIFY).
 */
import type { ReadPolicy } from '../../workflow/policy';

export const complaintPolicy: ReadPolicy = {
  departmentColumn: 'department_id',
  customerColumn: 'customer_id',
  archivedReadable: true,
  staffOnlyFields: ['cause', 'responsibility', 'remedy', 'compensationAmount', 'internalNote', 'rejectionReason', 'approvalRound', 'resolvedById', 'resolvedBy', 'resolutionProposedAt', 'approvals'],
  staffOnlyEvents: ['RESOLVE', 'APPROVE', 'REJECT'],
};
