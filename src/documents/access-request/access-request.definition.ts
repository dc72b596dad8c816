/**
 * The access request as the engine sees it. Anyone may ask; a supervisor of
 * the owning department decides (never on their own request); the grant ends
 * by itself at its expiry (system event EXPIRE) or by REVOKE.
 */
import { hasRole, Role } from '../../auth/roles';
import { fromGlobalId, idOf } from '../../graphql/global-id';
import { Department } from '../../organisation/organisation.entities';
import { DocumentDefinition, type EffectContext } from '../../workflow/definition';
import { Refusal, UserErrorCode, UserErrorData } from '../../workflow/errors';
import { ownerDepartmentSql } from '../../workflow/policy';
import { definitionOf } from '../../workflow/registry';
import { AccessRequest, AccessTargetKind } from './access-request.entity';
import { AccessRequestFacts, accessRequestEffects, accessRequestMachine } from './access-request.machine';
import { accessRequestPolicy } from './access-request.policy';
import { CreateAccessRequestInput, GrantAccessRequestInput, ReasonEventInput } from './access-request.types';

const MAX_GRANT_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

const effects: Record<(typeof accessRequestEffects)[number], (doc: AccessRequest, ctx: EffectContext) => void> = {
  grantUntil: (doc, { input, caller }) => {
    doc.grantedUntil = (input as GrantAccessRequestInput).expiresAt;
    doc.decidedById = caller.userId;
  },
  noteDenial: (doc, { input, caller }) => {
    doc.decisionReason = (input as ReasonEventInput).reason;
    doc.decidedById = caller.userId;
  },
  // a revocation keeps who granted it
  noteRevocation: (doc, { input }) => {
    doc.decisionReason = (input as ReasonEventInput).reason;
  },
};

/** Whether what an access request names can be asked for: a document type that has an owning department. */
const askable = (type: string) => type !== 'AccessRequest' && !!definitionOf(type) && !!ownerDepartmentSql(definitionOf(type)!.policy);

export const accessRequestDefinition: DocumentDefinition<AccessRequest, AccessRequestFacts> = {
  type: 'AccessRequest',
  prefix: 'AR',
  entity: AccessRequest,
  machine: accessRequestMachine,
  policy: accessRequestPolicy,
  effects,

  facts: ({ docs, caller }) =>
    docs.map((doc) => ({
      isOwnerSupervisor: hasRole(caller, Role.SUPERVISOR) && caller.departmentId !== null && caller.departmentId === doc.owningDepartmentId,
      isRequester: doc.createdById === caller.userId,
      isExpired: doc.grantedUntil !== null && doc.grantedUntil.getTime() <= Date.now(),
    })),

  async build(input: CreateAccessRequestInput, caller, manager) {
    const refuse = (field: string, message: string) => new Refusal([validation(field, message)]);
    if (!input.documentId === !input.departmentId) throw refuse('documentId', 'give either documentId or departmentId');
    const doc = new AccessRequest();
    doc.purpose = input.purpose;
    doc.requestedDays = input.days;
    doc.grantedUntil = null;
    doc.createdById = caller.userId;
    if (input.departmentId) {
      const id = idOf(input.departmentId, 'Department');
      if (!id || !(await manager.existsBy(Department, { id }))) throw refuse('departmentId', 'departmentId must name an existing department');
      doc.targetKind = AccessTargetKind.DEPARTMENT;
      doc.departmentId = id;
      doc.owningDepartmentId = id;
      return doc;
    }
    const parsed = fromGlobalId(input.documentId!);
    if (!parsed || !askable(parsed.type)) throw refuse('documentId', 'documentId must be the id of a service document');
    const def = definitionOf(parsed.type)!;
    doc.targetKind = AccessTargetKind.DOCUMENT;
    doc.documentType = parsed.type;
    doc.documentId = parsed.id;
    // looked up without the caller's scope, and never reported back: a missing document simply has no owner to decide
    const table = manager.getRepository(def.entity).metadata.tableName;
    const [owner] = await manager.query(`SELECT ${ownerDepartmentSql(def.policy)!.replace(/\{doc\}/g, 't')} AS department_id FROM ${table} t WHERE t.id = $1`, [parsed.id]);
    doc.owningDepartmentId = owner?.department_id ?? null;
    return doc;
  },

  events: {
    CREATE: {
      description: 'Ask to read one document, or a department\'s documents, and say why. Whether the document exists is not revealed.',
      input: CreateAccessRequestInput,
    },
    GRANT: {
      description: 'Grant read access until an expiry (a supervisor of the owning department).',
      input: GrantAccessRequestInput,
      validate(input: GrantAccessRequestInput) {
        const ms = input.expiresAt.getTime() - Date.now();
        if (ms <= 0) return [validation('expiresAt', 'expiresAt must be in the future')];
        if (ms > MAX_GRANT_DAYS * DAY_MS) return [validation('expiresAt', `a grant lasts at most ${MAX_GRANT_DAYS} days`)];
        return [];
      },
    },
    DENY: { description: 'Refuse the request; the reason is required.', input: ReasonEventInput },
    WITHDRAW: { description: 'The requester no longer needs it.' },
    REVOKE: { description: 'End a grant before its expiry; the reason is required.', input: ReasonEventInput },
    EXPIRE: { description: 'System: the grant reached its expiry.', system: true },
  },
};
