/** Who reads which service tasks (SPEC §7): the one declaration every read path derives from. */
import { workingOnTask, type ReadPolicy } from '../../workflow/policy';

export const serviceTaskPolicy: ReadPolicy = {
  departmentColumn: 'department_id',
  technicianPath: workingOnTask('{doc}'),
  // a customer follows the status and schedule of the tasks approved for their organisation
  customerColumn: 'customer_id',
  customerWhen: '{doc}.approved_at IS NOT NULL',
  // the records custodian reads it once archived (with its request)
  archivedReadable: true,
  staffOnlyFields: ['estimatedCost', 'complexity', 'tier', 'approvalRound', 'resources', 'rejectionReason', 'disputeReason', 'helperIds', 'helpers', 'createdBy', 'approvals'],
  staffOnlyEvents: ['UPDATE', 'SUBMIT', 'APPROVE', 'REJECT', 'DISPUTE', 'REVISE'],
};
