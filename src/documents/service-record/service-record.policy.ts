/**
 * Who reads which service records (SPEC §7, §3.3). Staff as before. The customer signs the field report, so a
 * portal user of the request's organisation reads its records once filed (SUBMITTED on: the content they sign no
 * longer changes; a record sent back to its author leaves their view until filed again) — without the internal
 * review (the send-back and its reason) and without the warranty evidence (the 三包 check: coverage, dismantled,
 * running hours or mileage), which stays with staff (issue 13). The repaired faults and their warranty are theirs.
 */
import { workingOnTask, type ReadPolicy } from '../../workflow/policy';

export const serviceRecordPolicy: ReadPolicy = {
  departmentColumn: 'department_id',
  // a technician sees their own records and those of the tasks they work on
  technicianPath: `({doc}.created_by_id = :worker OR EXISTS (SELECT 1 FROM service_task rt WHERE rt.id = {doc}.task_id AND ${workingOnTask('rt')}))`,
  // the customer reads the filed report they sign
  customerColumn: 'customer_id',
  customerWhen: `{doc}.state <> 'OPEN'`,
  // the records custodian reads it once archived (with its request)
  archivedReadable: true,
  staffOnlyFields: ['sendBackReason', 'warrantyCheck'],
  staffOnlyEvents: ['SEND_BACK'],
};
