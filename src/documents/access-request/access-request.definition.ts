/**
 * The access request as the engine sees it. Anyone may ask; a supervisor of
 * the owning department decides (never on their own request); the grant ends
 * by itself at its expiry (system event EXPIRE) or by REVOKE.
 */
import { hasRole, Role } from '../../auth/roles';
import { fromGlobalId, idOf } from '../../graphql/global-id';
import { Department } from '../../organisation/organisation.entities';
import { DocumentDefinition, GuardKind } from '../../workflow/definition';
import { UserErrorCode, UserErrorData } from '../../workflow/errors';
import { definitionOf } from '../../workflow/registry';
import { AccessRequest, AccessTargetKind } from './access-request.entity';
import { AccessRequestFacts, accessRequestMachine } from './access-request.machine';
import { CreateAccessRequestInput, GrantAccessRequestInput, ReasonEventInput } from './access-request.types';
import { accessRequestScope } from './access-request.visibility';

const MAX_GRANT_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const validation = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });

export const accessRequestDefinition: DocumentDefinition<AccessRequest, AccessRequestFacts> = {
  type: 'AccessRequest',
  prefix: 'AR',
  entity: AccessRequest,
  machine: accessRequestMachine,
  scope: accessRequestScope,
  staffOnlyFields: [],
  ownerDepartment: { sql: '{doc}.owning_department_id', of: (doc) => doc.owningDepartmentId },

  guards: {
    ownerSupervisor: { kind: GuardKind.PERMISSION, description: 'Only a supervisor of the department that owns what is asked for decides.', roles: [Role.SUPERVISOR] },
    notOwnRequest: { kind: GuardKind.SEGREGATION, description: 'Nobody decides on their own access request.' },
    requester: { kind: GuardKind.PERMISSION, description: 'Only the requester may withdraw the request.' },
    ownerSupervisorOrRequester: { kind: GuardKind.PERMISSION, description: 'Only a supervisor of the owning department, or the requester, may revoke the grant.', roles: [Role.SUPERVISOR] },
    expired: { kind: GuardKind.RULE, description: 'A grant expires only once its expiry has passed.' },
  },

  facts: ({ doc, caller }) => ({
    isOwnerSupervisor: hasRole(caller, Role.SUPERVISOR) && caller.departmentId !== null && caller.departmentId === doc.owningDepartmentId,
    isRequester: doc.createdById === caller.userId,
    isExpired: doc.grantedUntil !== null && doc.grantedUntil.getTime() <= Date.now(),
  }),

  create: {
    description: 'Ask to read one document, or a department\'s documents, and say why. Whether the document exists is not revealed.',
    input: CreateAccessRequestInput,
    authorize: () => null,
    async validate(input: CreateAccessRequestInput, _caller, manager) {
      if (!input.documentId === !input.departmentId) return [validation('documentId', 'give either documentId or departmentId')];
      if (input.departmentId) {
        const id = idOf(input.departmentId, 'Department');
        if (!id || !(await manager.existsBy(Department, { id }))) return [validation('departmentId', 'departmentId must name an existing department')];
        return [];
      }
      const parsed = fromGlobalId(input.documentId!);
      if (!parsed || !definitionOf(parsed.type)?.ownerDepartment || parsed.type === 'AccessRequest') return [validation('documentId', 'documentId must be the id of a service document')];
      return [];
    },
    async build(input: CreateAccessRequestInput, _caller, manager) {
      const doc = new AccessRequest();
      doc.purpose = input.purpose;
      doc.requestedDays = input.days;
      doc.grantedUntil = null;
      if (input.departmentId) {
        doc.targetKind = AccessTargetKind.DEPARTMENT;
        doc.departmentId = idOf(input.departmentId, 'Department');
        doc.owningDepartmentId = doc.departmentId;
        return doc;
      }
      const parsed = fromGlobalId(input.documentId!)!;
      const def = definitionOf(parsed.type)!;
      doc.targetKind = AccessTargetKind.DOCUMENT;
      doc.documentType = parsed.type;
      doc.documentId = parsed.id;
      // looked up without the caller's scope, and never reported back: a missing document simply has no owner to decide
      const target = await manager.findOneBy(def.entity, { id: parsed.id } as never);
      doc.owningDepartmentId = target ? ((await def.ownerDepartment!.of(target as never, manager)) ?? null) : null;
      return doc;
    },
  },

  events: {
    GRANT: {
      description: 'Grant read access until an expiry (a supervisor of the owning department).',
      input: GrantAccessRequestInput,
      validate(input: GrantAccessRequestInput) {
        const ms = input.expiresAt.getTime() - Date.now();
        if (ms <= 0) return [validation('expiresAt', 'expiresAt must be in the future')];
        if (ms > MAX_GRANT_DAYS * DAY_MS) return [validation('expiresAt', `a grant lasts at most ${MAX_GRANT_DAYS} days`)];
        return [];
      },
      apply: (doc, { input, caller }) => {
        doc.grantedUntil = (input as GrantAccessRequestInput).expiresAt;
        doc.decidedById = caller.userId;
      },
    },
    DENY: {
      description: 'Refuse the request; the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input, caller }) => {
        doc.decisionReason = (input as ReasonEventInput).reason;
        doc.decidedById = caller.userId;
      },
    },
    WITHDRAW: { description: 'The requester no longer needs it.' },
    REVOKE: {
      description: 'End a grant before its expiry; the reason is required.',
      input: ReasonEventInput,
      apply: (doc, { input }) => {
        doc.decisionReason = (input as ReasonEventInput).reason;
      },
    },
    EXPIRE: { description: 'System: the grant reached its expiry.', system: true },
  },
};
