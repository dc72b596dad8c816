/**
 * The consultation as the engine sees it (SPEC §3.8): the facts its guards read, what each effect does to
 * the fields, and each event's input. CONVERT announces `Consultation.converted`; the reaction in
 * src/workflow/reactions.ts opens the service request through that machine's CREATE, as the system.
 */
import { randomUUID } from 'node:crypto';
import { hasRole, isPortalUser, Role, SYSTEM_CALLER } from '../../auth/roles';
import { idOf } from '../../graphql/global-id';
import { Customer } from '../../organisation/organisation.entities';
import { Channel, Urgency } from '../../vocabulary';
import { DocumentDefinition, type EffectContext } from '../../workflow/definition';
import { Refusal, UserErrorCode, UserErrorData } from '../../workflow/errors';
import { Consultation } from './consultation.entity';
import { ConsultationFacts, consultationEffects, consultationMachine } from './consultation.machine';
import { consultationPolicy } from './consultation.policy';
import { ConsultationAnswerInput, ConvertConsultationInput, CreateConsultationInput, DeferConsultationInput, DocumentEventInput, ReasonEventInput } from './consultation.types';

const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

const effects: Record<(typeof consultationEffects)[number], (doc: Consultation, ctx: EffectContext) => void> = {
  noteAnswer: (doc, { input, now }) => {
    doc.answer = (input as ConsultationAnswerInput).answer;
    doc.answeredAt = now;
  },
  // the first reply only: later answers and promises leave it as it is
  stampFirstReply: (doc, { now }) => {
    doc.firstRepliedAt ??= now;
  },
  notePromise: (doc, { input }) => {
    const defer = input as DeferConsultationInput;
    doc.promisedReplyAt = defer.promisedReplyAt;
    doc.deferralNote = defer.note;
    if (defer.internalNote !== undefined && defer.internalNote !== null) doc.internalNote = defer.internalNote;
  },
  // the earlier promise was kept (the answer came); a new reply is due, and the agent may promise a time with DEFER
  noteDissatisfaction: (doc, { input }) => {
    doc.dissatisfactionReason = (input as ReasonEventInput).reason;
    doc.promisedReplyAt = null;
  },
  stampClosed: (doc, { now }) => {
    doc.closedAt = now;
  },
  noteConversion: (doc, { input, now }) => {
    const c = input as ConvertConsultationInput;
    doc.convertedRequestId = randomUUID();
    doc.convertedAt = now;
    doc.conversionDetails = {
      category: c.category,
      serviceType: c.serviceType,
      description: c.description ?? doc.question,
      contactName: c.contactName ?? doc.contactName,
      contactPhone: c.contactPhone ?? doc.contactPhone,
      address: c.address ?? null,
      expectedFrom: c.expectedFrom?.toISOString() ?? null,
      expectedTo: c.expectedTo?.toISOString() ?? null,
      urgency: c.urgency ?? Urgency.NORMAL,
    };
  },
};

export const consultationDefinition: DocumentDefinition<Consultation, ConsultationFacts> = {
  type: 'Consultation',
  prefix: 'CN',
  entity: Consultation,
  machine: consultationMachine,
  policy: consultationPolicy,
  records: {
    closedStates: ['CLOSED', 'CONVERTED'],
    personalFields: ['topic', 'question', 'contactName', 'contactPhone', 'answer', 'deferralNote', 'dissatisfactionReason', 'internalNote', 'conversionDetails'],
  },
  effects,

  facts: ({ docs, caller }) =>
    docs.map((doc) => ({
      isAgent: hasRole(caller, Role.AGENT),
      isOwnCustomer: hasRole(caller, Role.CUSTOMER) && !!caller.customerId && doc.customerId === caller.customerId,
      isArchivist: hasRole(caller, Role.ARCHIVIST) || caller.userId === SYSTEM_CALLER.userId,
    })),

  async build(input: CreateConsultationInput, caller, manager) {
    const doc = new Consultation();
    doc.question = input.question;
    doc.topic = input.topic ?? null;
    doc.contactName = input.contactName ?? null;
    doc.contactPhone = input.contactPhone ?? null;
    doc.internalNote = input.internalNote ?? null;
    if (isPortalUser(caller)) {
      // a portal user asks for their own organisation; naming another is the guard's to refuse
      doc.customerId = input.customerId ? (idOf(input.customerId, 'Customer') ?? '') : caller.customerId!;
      doc.channel = Channel.ONLINE;
    } else if (hasRole(caller, Role.AGENT)) {
      const customerId = idOf(input.customerId, 'Customer');
      if (!customerId || !(await manager.existsBy(Customer, { id: customerId }))) throw Refusal.of(UserErrorCode.VALIDATION, 'customerId must name an existing customer', 'customerId');
      if (!input.channel) throw Refusal.of(UserErrorCode.VALIDATION, 'customer service must say how the question came in (channel)', 'channel');
      doc.customerId = customerId;
      doc.channel = input.channel;
    }
    return doc;
  },

  events: {
    CREATE: {
      description: 'Log a customer\'s question (LOGGED). Portal users ask for their own organisation, online; customer service logs questions for any customer, by any channel.',
      input: CreateConsultationInput,
    },
    ANSWER: { description: 'Answer the question on the spot; this is the first reply.', input: ConsultationAnswerInput },
    DEFER: {
      description: 'Promise the customer a reply after checking, by a time in the future. The first promise is the first reply (SPEC §8); a later one sets a new time.',
      input: DeferConsultationInput,
      validate: (input: DeferConsultationInput) => (input.promisedReplyAt.getTime() <= Date.now() ? [validation('promisedReplyAt', 'promisedReplyAt must be in the future')] : []),
    },
    REPLY: { description: 'Give the promised reply after checking.', input: ConsultationAnswerInput },
    CONFIRM_SATISFIED: { description: 'The customer is satisfied with the answer (the customer, or customer service recording it): the consultation closes.', input: DocumentEventInput },
    REPORT_UNSATISFIED: { description: 'The customer is not satisfied with the answer; the reason is required. Customer service replies again (and may promise a time with DEFER).', input: ReasonEventInput },
    CONVERT: {
      description: 'The question needs service: open a service request (DRAFT, for the consultation\'s customer) with these details, linked both ways.',
      input: ConvertConsultationInput,
      validate: (input: ConvertConsultationInput) =>
        input.expectedFrom && input.expectedTo && input.expectedTo < input.expectedFrom ? [validation('expectedTo', 'expectedTo must not be before expectedFrom')] : [],
    },
    ARCHIVE: { description: 'File the closed or converted consultation in the archive (read-only from then on): the records custodian, an automation holding that role, or the scheduled archiving.', system: true, callers: true },
  },
};
