/**
 * The routing table: which document reacts to which domain event, and how. Documents never import each
 * other; a machine announces `ServiceTask.approved` on the transition that causes it, and the engine runs
 * the reactions listed here in the same transaction (a refusal of a `fire` aborts the whole event).
 *
 *   fire(type, id, EVENT)   the target's machine must accept the system event
 *   offer(type, id, EVENT)  the target takes it if its machine allows it now, and otherwise stays as it is
 *                           (its own guard decides: "all tasks completed" lives in the request's machine)
 *   offerEach(type, column, value, EVENT)  offer to every document of the type whose column holds value
 *   open(type, input)       a new document, created by the system through its machine's CREATE
 */

/** A reaction, as data the engine carries out. */
export type Reaction =
  | { kind: 'fire' | 'offer'; type: string; id: string; event: string }
  | { kind: 'offerEach'; type: string; column: string; value: string; event: string }
  | { kind: 'open'; type: string; input: Record<string, unknown> };

export const fire = (type: string, id: string, event: string): Reaction => ({ kind: 'fire', type, id, event });
export const offer = (type: string, id: string, event: string): Reaction => ({ kind: 'offer', type, id, event });
/** offer the event to every document of `type` whose SQL `column` equals `value` (a request's tasks) */
export const offerEach = (type: string, column: string, value: string, event: string): Reaction => ({ kind: 'offerEach', type, column, value, event });
export const open = (type: string, input: Record<string, unknown>): Reaction => ({ kind: 'open', type, input });

/** the announcing document's row, as its entity holds it */
type Row = Record<string, any>;

const table: Record<string, (doc: Row) => Reaction[]> = {
  // a request is in service from its first approved task, and complete when its last task is
  'ServiceTask.approved': (task) => [offer('ServiceRequest', task.requestId, 'START')],
  'ServiceTask.closed': (task) => [offer('ServiceRequest', task.requestId, 'COMPLETE')],
  'ServiceTask.cancelled': (task) => [offer('ServiceRequest', task.requestId, 'COMPLETE')],
  // finishing the work opens the customer's next acceptance round; its outcome reopens or closes the task
  'ServiceTask.finished': (task) => [open('ServiceAcceptance', { taskId: task.id })],
  'ServiceAcceptance.failed': (acceptance) => [fire('ServiceTask', acceptance.taskId, 'REOPEN')],
  'ServiceAcceptance.verified': (acceptance) => [fire('ServiceTask', acceptance.taskId, 'CLOSE')],
  // records control (SPEC §5): a request is archived with its tasks, a task with its records and acceptance rounds;
  // each through its own machine's ARCHIVE (its own audit event and outbox row); one still open stays as it is
  'ServiceRequest.archived': (request) => [offerEach('ServiceTask', 'request_id', request.id, 'ARCHIVE')],
  'ServiceTask.archived': (task) => [offerEach('ServiceRecord', 'task_id', task.id, 'ARCHIVE'), offerEach('ServiceAcceptance', 'task_id', task.id, 'ARCHIVE')],
  // a question that needs service becomes a DRAFT request for its customer, under the id the consultation already names
  'Consultation.converted': (c) => [
    open('ServiceRequest', {
      ...c.conversionDetails,
      expectedFrom: c.conversionDetails.expectedFrom ? new Date(c.conversionDetails.expectedFrom) : null,
      expectedTo: c.conversionDetails.expectedTo ? new Date(c.conversionDetails.expectedTo) : null,
      id: c.convertedRequestId,
      consultationId: c.id,
      customerId: c.customerId,
      channel: c.channel,
    }),
  ],
};

/** The reactions to one domain event (`Type.event`). */
export function reactionsTo(domainEvent: string, doc: Row): Reaction[] {
  return table[domainEvent]?.(doc) ?? [];
}

/** Every routed domain event, for the boot check that each is announced by some machine. */
export const routedEvents = (): string[] => Object.keys(table);
