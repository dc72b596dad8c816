/**
 * 諮詢 — a customer's question (SPEC §3.8, seed 001 §3.1 客戶咨詢流程): the whole contract. Customer service
 * logs it (or the customer asks through the portal), answers on the spot or promises a reply after
 * checking, and asks whether the customer is satisfied; a question that needs service is converted into a
 * service request (announced; src/workflow/reactions.ts opens the request).
 */
import { Role } from '../../auth/roles';
import { announce, documentMachine, permission } from '../../workflow/definition';

export interface ConsultationFacts {
  isAgent: boolean;
  /** a portal user of the consultation's own organisation */
  isOwnCustomer: boolean;
  /** ARCHIVIST, or the system's scheduled archiving */
  isArchivist: boolean;
}

type F = ConsultationFacts;

export const consultationGuards = {
  asker: permission<F>('Portal users ask for their own organisation; customer service logs questions for any customer.', [Role.CUSTOMER, Role.AGENT], (f) => f.isAgent || f.isOwnCustomer, 'customerId'),
  agent: permission<F>('Only customer service (AGENT) may do this.', [Role.AGENT], (f) => f.isAgent),
  customerOrAgent: permission<F>('Only the consultation\'s customer, or customer service recording the customer\'s word, may do this.', [Role.CUSTOMER, Role.AGENT], (f) => f.isOwnCustomer || f.isAgent),
  archivist: permission<F>('Only the records custodian (ARCHIVIST) or an automation holding that role archives.', [Role.ARCHIVIST], (f) => f.isArchivist),
};

export const consultationEffects = ['noteAnswer', 'stampFirstReply', 'notePromise', 'noteDissatisfaction', 'stampClosed', 'noteConversion'] as const;

/** the question needs service: a service request is opened from it, linked both ways */
const convert = { target: 'CONVERTED', guard: 'agent', actions: ['noteConversion', announce('converted')] };
const archive = { target: 'ARCHIVED', guard: 'archivist' };

export const consultationMachine = documentMachine(consultationGuards, consultationEffects, {
  id: 'Consultation',
  initial: 'NEW',
  states: {
    NEW: { on: { CREATE: { target: 'LOGGED', guard: 'asker' } } },
    LOGGED: {
      on: {
        // answered on the spot
        ANSWER: { target: 'ANSWERED', guard: 'agent', actions: ['noteAnswer', 'stampFirstReply'] },
        // "we will check and reply": the promise is the first reply (SPEC §8 first response time)
        DEFER: { target: 'PENDING_REPLY', guard: 'agent', actions: ['notePromise', 'stampFirstReply'] },
        CONVERT: convert,
      },
    },
    PENDING_REPLY: {
      on: {
        REPLY: { target: 'ANSWERED', guard: 'agent', actions: ['noteAnswer'] },
        // a new promised time (after the customer reported being unsatisfied, or when the check takes longer)
        DEFER: { target: 'PENDING_REPLY', guard: 'agent', actions: ['notePromise'] },
        CONVERT: convert,
      },
    },
    ANSWERED: {
      on: {
        CONFIRM_SATISFIED: { target: 'CLOSED', guard: 'customerOrAgent', actions: ['stampClosed'] },
        REPORT_UNSATISFIED: { target: 'PENDING_REPLY', guard: 'customerOrAgent', actions: ['noteDissatisfaction'] },
        CONVERT: convert,
      },
    },
    CLOSED: { on: { ARCHIVE: archive } },
    CONVERTED: { on: { ARCHIVE: archive } },
    ARCHIVED: { type: 'final' },
  },
});
