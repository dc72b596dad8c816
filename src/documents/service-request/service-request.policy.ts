/** Who reads which service requests (SPEC §7): the one declaration every read path derives from. */
import { type ReadPolicy } from '../../workflow/policy';

export const serviceRequestPolicy: ReadPolicy = {
  // a supervisor sees the requests routed to their department
  departmentColumn: 'target_department_id',
  // a portal user sees their own organisation's requests
  customerColumn: 'customer_id',
  // a technician sees the requests of the tasks they are assigned to or help on: service_request_worker holds each
  // task's assignee and helpers beside its request (migration RequestWorkers, kept exact by a trigger on service_task
  // from the same columns workingOnTask reads), so a technician's requests are one range of its primary key
  technicianPath: `EXISTS (SELECT 1 FROM service_request_worker srw WHERE srw.worker_id = :worker::uuid AND srw.request_id = {doc}.id)`,
  // the records custodian sees what has been archived
  archivedReadable: true,
  staffOnlyFields: ['estimatedAmount', 'complexity', 'internalNote'],
};
