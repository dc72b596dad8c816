/**
 * How the document types lead to one another in the graph: one line each. The documents themselves stay
 * apart (no folder imports another's); src/graphql/relations.ts turns each line into a field that reads
 * through the target type's scope.
 */
import type { Relation } from '../graphql/relations';

export const documentRelations: Relation[] = [
  { from: 'ServiceRequest', field: 'tasks', to: 'ServiceTask', kind: 'children', column: 'request_id', key: 'requestId', description: 'its service tasks within your scope, oldest first' },
  { from: 'ServiceTask', field: 'request', to: 'ServiceRequest', kind: 'parent', key: 'requestId', description: 'the request (null when outside your scope)' },
  { from: 'ServiceTask', field: 'records', to: 'ServiceRecord', kind: 'children', column: 'task_id', key: 'taskId', description: 'its service records within your scope, oldest first' },
  { from: 'ServiceTask', field: 'acceptances', to: 'ServiceAcceptance', kind: 'children', column: 'task_id', key: 'taskId', description: 'its acceptance rounds within your scope, first round first' },
  { from: 'ServiceRecord', field: 'task', to: 'ServiceTask', kind: 'parent', key: 'taskId', description: 'the task (null when outside your scope)' },
  { from: 'Consultation', field: 'convertedRequest', to: 'ServiceRequest', kind: 'parent', key: 'convertedRequestId', description: 'the service request it was converted into (null when not converted, or outside your scope)' },
  { from: 'ServiceRequest', field: 'consultation', to: 'Consultation', kind: 'parent', key: 'consultationId', description: 'the consultation it was converted from (null when none, or outside your scope)' },
  { from: 'ServiceAcceptance', field: 'task', to: 'ServiceTask', kind: 'parent', key: 'taskId', description: 'the task (null when outside your scope)' },
  { from: 'ServiceTask', field: 'partsRequisitions', to: 'PartsRequisition', kind: 'children', column: 'task_id', key: 'taskId', description: 'its spare-parts requisitions within your scope, oldest first' },
  { from: 'PartsRequisition', field: 'task', to: 'ServiceTask', kind: 'parent', key: 'taskId', description: 'the task the parts are for (null when outside your scope)' },
  { from: 'PartsRequisition', field: 'consumedInRecord', to: 'ServiceRecord', kind: 'parent', key: 'consumedInRecordId', description: 'the service record the parts were written off against (null before CONSUME or when outside your scope)' },
  { from: 'Complaint', field: 'request', to: 'ServiceRequest', kind: 'parent', key: 'requestId', description: 'the service request complained about, if any (null when outside your scope)' },
  { from: 'ServiceRequest', field: 'repeatOf', to: 'ServiceRequest', kind: 'parent', key: 'repeatOfRequestId', description: 'the earlier request whose repair this one repeats within its post-repair warranty (freeRepeatRepair; null when none, or outside your scope)' },
  { from: 'ServiceRequest', field: 'repeatOfRecord', to: 'ServiceRecord', kind: 'parent', key: 'repeatOfRecordId', description: 'the customer-signed service record of that repair (null when none, or outside your scope)' },
  { from: 'ServiceRequest', field: 'complaints', to: 'Complaint', kind: 'children', column: 'request_id', key: 'requestId', description: 'the complaints about it within your scope, oldest first' },
];
