import DataLoader from 'dataloader';
/**
 * The communication log over GraphQL (SPEC §3.10): `logCommunication`, `communications(customerId, documentId)`,
 * `node(id)` for an entry, and a `communications` field on the documents a customer talks to us about. Every read
 * goes through communicationScope; a portal user gets an error from the query, null from the field and from node.
 * No outbox row is written for an entry, so nothing of the log reaches subscriptions or webhooks.
 */
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, Field, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, UseMiddleware, type ClassType } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { ArgsType } from 'type-graphql';
import { Connection, paginate, type SortKey } from '../graphql/connection';
import type { Context } from '../graphql/context';
import { NO_MATCH } from '../graphql/document-list';
import { fromGlobalId, idOf, toGlobalId } from '../graphql/global-id';
import { IdempotencyRefusal, InputValidationAsUserErrors } from '../graphql/mutation-middleware';
import { registerNodeType } from '../graphql/node';
import { Customer, Department, User } from '../organisation/organisation.entities';
import { CustomerType, DepartmentType, UserType } from '../organisation/organisation.types';
import { Node } from '../graphql/node';
import { definitionOf } from '../workflow/registry';
import { normalScope } from '../workflow/grants';
import { applyScope, type Scope } from '../workflow/scope';
import { UserErrorCode, type UserErrorData } from '../workflow/errors';
import { CommunicationLogEntry } from './communication.entity';
import { communicationScope, keepsLog } from './communication.scope';
import { CommunicationsArgs, CommunicationType, LogCommunicationInput, LogCommunicationPayload } from './communication.types';

export const COMMUNICATION_TYPE = 'Communication';
registerNodeType(CommunicationLogEntry, COMMUNICATION_TYPE);

/** the documents that carry a `communications` field: those a customer talks to us about */
export const COMMUNICATION_DOCUMENT_TYPES = ['ServiceRequest', 'ServiceTask', 'ServiceRecord', 'ServiceAcceptance', 'Complaint', 'Consultation', 'PartsRequisition'];

export const CommunicationConnection = Connection(CommunicationType, 'Communication');

const NEWEST_FIRST: SortKey<CommunicationLogEntry>[] = [
  { sql: 'c.at', direction: 'DESC', kind: 'timestamp', value: (r) => r.at.toISOString() },
  { sql: 'c.id', direction: 'DESC', kind: 'uuid', value: (r) => r.id },
];

const withScope = (scope: Scope): Scope => ({ sql: scope.sql.replace(/\{c\}/g, 'c'), params: scope.params });

/** the log's entries the caller reads, as a query on alias `c`; null when they read none */
function visibleEntries(ctx: Context) {
  const scope = communicationScope(ctx.dataSource, ctx.caller);
  if (!scope) return null;
  const qb = ctx.dataSource.getRepository(CommunicationLogEntry).createQueryBuilder('c');
  const s = withScope(scope);
  return s.sql === 'TRUE' ? qb : qb.andWhere(`(${s.sql})`, s.params);
}

/** The newest `first` entries the caller reads of each of these documents of a type: one statement. */
async function entriesOf(ctx: Context, type: string, ids: readonly string[], first: number): Promise<CommunicationLogEntry[][]> {
  const qb = visibleEntries(ctx);
  if (!qb) return ids.map(() => []);
  // within the caller's scope, numbered per document newest first; the newest `first` of each
  const [sql, params] = qb
    .andWhere('c.document_type = :documentType AND c.document_id IN (:...documentIds)', { documentType: type, documentIds: [...ids] })
    .select('c.id', 'id')
    .addSelect('row_number() OVER (PARTITION BY c.document_id ORDER BY c.at DESC, c.id DESC)', 'rn')
    .getQueryAndParameters();
  const picked: Array<{ id: string }> = await ctx.dataSource.query(`SELECT x.id FROM (${sql}) x WHERE x.rn <= $${params.length + 1}`, [...params, first]);
  const rows = picked.length
    ? await ctx.dataSource.getRepository(CommunicationLogEntry).createQueryBuilder('c').whereInIds(picked.map((p) => p.id)).orderBy('c.at', 'DESC').addOrderBy('c.id', 'DESC').getMany()
    : [];
  return ids.map((id) => rows.filter((r) => r.documentId === id));
}

/** An entry by uuid within the caller's scope (node), or null. */
export async function loadCommunication(ctx: Context, id: string): Promise<CommunicationLogEntry | null> {
  return (await visibleEntries(ctx)?.andWhere('c.id = :communicationId', { communicationId: id }).getOne()) ?? null;
}

const invalid = (field: string, message: string): UserErrorData => ({ code: UserErrorCode.VALIDATION, message, field });
const refused = (userErrors: UserErrorData[]): LogCommunicationPayload => ({ communication: null, userErrors: userErrors as LogCommunicationPayload['userErrors'] });

/** an arrival time a minute ahead of the server's clock is a clock skew, not a call from the future */
const CLOCK_SKEW_MS = 60_000;

@Resolver(() => CommunicationType)
export class CommunicationResolver {
  @Mutation(() => LogCommunicationPayload, { description: 'Log a call, fax, letter, mail or visit with a customer, against the customer and, where one exists, the document (AGENT, SUPERVISOR, TECHNICIAN, EXECUTIVE). Staff only: customers never see the log.' })
  @UseMiddleware(IdempotencyRefusal, InputValidationAsUserErrors)
  async logCommunication(@Arg('input', () => LogCommunicationInput) input: LogCommunicationInput, @Ctx() ctx: Context): Promise<LogCommunicationPayload> {
    const { caller } = ctx;
    if (!keepsLog(caller)) return refused([{ code: UserErrorCode.FORBIDDEN, message: 'The communication log is kept by customer service, supervisors, technicians and executives.', field: null }]);
    if (input.at.getTime() > ctx.engine.now().getTime() + CLOCK_SKEW_MS) return refused([invalid('at', 'at must not be in the future: log what took place')]);
    if (!input.customerId && !input.documentId) return refused([invalid('customerId', 'name the customer, or the document the customer contacted us about')]);
    return ctx.dataSource.transaction(async (manager) => {
      let customerId = input.customerId ? idOf(input.customerId, 'Customer') : null;
      if (input.customerId && (!customerId || !(await manager.existsBy(Customer, { id: customerId })))) return refused([{ code: UserErrorCode.NOT_FOUND, message: 'No such customer.', field: 'customerId' }]);
      let documentType: string | null = null;
      let documentId: string | null = null;
      let departmentId = caller.departmentId;
      if (input.documentId) {
        const parsed = fromGlobalId(input.documentId);
        const def = parsed ? definitionOf(parsed.type) : undefined;
        // a document outside the caller's scope answers like a missing one
        const qb = def && manager.getRepository(def.entity).createQueryBuilder('d').where('d.id = :id', { id: parsed!.id });
        const doc = def && qb ? ((await applyScope(qb, normalScope(def, caller)).getOne()) as Record<string, unknown> | null) : null;
        if (!def || !doc) return refused([{ code: UserErrorCode.NOT_FOUND, message: 'No such document.', field: 'documentId' }]);
        const docCustomer = typeof doc.customerId === 'string' ? doc.customerId : null;
        if (!docCustomer) return refused([invalid('documentId', `a ${def.type} is not about one customer: log the contact against the customer alone`)]);
        if (customerId && customerId !== docCustomer) return refused([invalid('customerId', 'the document is another customer\'s')]);
        customerId = docCustomer;
        documentType = def.type;
        documentId = parsed!.id;
        // the document's owning department keeps its log (its supervisors read it)
        const owner = def.policy.departmentColumn ? manager.connection.getMetadata(def.entity).columns.find((c) => c.databaseName === def.policy.departmentColumn)?.propertyName : undefined;
        if (owner && typeof doc[owner] === 'string') departmentId = doc[owner] as string;
      }
      const entry = manager.create(CommunicationLogEntry, {
        customerId: customerId!,
        documentType,
        documentId,
        departmentId,
        channel: input.channel,
        direction: input.direction,
        at: input.at,
        counterpartName: input.counterpartName.trim(),
        summary: input.summary,
        loggedById: caller.userId,
        loggedAt: ctx.engine.now(),
      });
      const saved = await manager.save(entry);
      ctx.effects.committed = true;
      return { communication: saved, userErrors: [] };
    });
  }

  @Query(() => CommunicationConnection, { description: 'The communication log within your scope, newest first: one customer\'s, one document\'s, or all you read. Staff only (a portal user is refused).' })
  async communications(@Args(() => CommunicationsArgs) args: CommunicationsArgs, @Ctx() ctx: Context) {
    const qb = visibleEntries(ctx);
    if (!qb) throw new GraphQLError('The communication log is for staff only.', { extensions: { code: 'FORBIDDEN' } });
    if (args.customerId) qb.andWhere('c.customer_id = :customerId', { customerId: idOf(args.customerId, 'Customer') ?? NO_MATCH });
    if (args.documentId) {
      const parsed = fromGlobalId(args.documentId);
      qb.andWhere('c.document_type = :documentType AND c.document_id = :documentId', { documentType: parsed?.type ?? '', documentId: parsed?.id ?? NO_MATCH });
    }
    return paginate(qb, NEWEST_FIRST, Math.min(args.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize), args.after);
  }

  @FieldResolver(() => ID)
  id(@Root() entry: CommunicationLogEntry): string {
    return toGlobalId(COMMUNICATION_TYPE, entry.id);
  }

  @FieldResolver(() => CustomerType)
  customer(@Root() entry: CommunicationLogEntry, @Ctx() ctx: Context): Promise<Customer | null> {
    return ctx.loaders.customer.load(entry.customerId);
  }

  @FieldResolver(() => DepartmentType, { nullable: true, description: 'whose log it is: the document\'s department, else that of who logged it' })
  department(@Root() entry: CommunicationLogEntry, @Ctx() ctx: Context): Promise<Department | null> | null {
    return entry.departmentId ? ctx.loaders.department.load(entry.departmentId) : null;
  }

  @FieldResolver(() => UserType, { description: 'the staff member who logged it' })
  loggedBy(@Root() entry: CommunicationLogEntry, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(entry.loggedById);
  }

  @FieldResolver(() => Node, { nullable: true, description: 'the document it was about (null when none, or outside your scope)' })
  document(@Root() entry: CommunicationLogEntry, @Ctx() ctx: Context): Promise<unknown> | null {
    const def = entry.documentType ? definitionOf(entry.documentType) : undefined;
    return def && entry.documentId ? ctx.loaders.document(def).load(entry.documentId) : null;
  }
}

@ArgsType()
class DocumentCommunicationsArgs {
  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'the newest entries, at most 100' }) @Min(0) @Max(100) first: number;
}

/** `communications` on each document type a customer talks to us about; null for whoever does not keep the log. */
export function createCommunicationFieldResolvers(types: Map<string, ClassType>): ClassType[] {
  return COMMUNICATION_DOCUMENT_TYPES.map((type) => {
    const objectType = types.get(type);
    if (!objectType) throw new Error(`communications: ${type} is not a registered document type`);
    @Resolver(() => objectType)
    class DocumentCommunicationsResolver {}
    const resolve = async (doc: { id: string }, args: DocumentCommunicationsArgs, ctx: Context): Promise<CommunicationLogEntry[] | null> => {
      if (!keepsLog(ctx.caller)) return null;
      const first = args.first ?? 20;
      // one statement for a page of documents (a list selecting `communications` does not query once per row)
      const loader = ctx.loaders.memo(`communications:${type}:${first}`, () => new DataLoader<string, CommunicationLogEntry[]>((ids) => entriesOf(ctx, type, ids, first)));
      return loader.load(doc.id);
    };
    const method = `${type}_communications`;
    Object.defineProperty(DocumentCommunicationsResolver.prototype, method, { value: resolve, writable: true, configurable: true });
    const descriptor = Object.getOwnPropertyDescriptor(DocumentCommunicationsResolver.prototype, method)!;
    FieldResolver(() => [CommunicationType], { name: 'communications', nullable: true, description: 'Calls, faxes, letters, mails and visits with the customer about it, newest first (staff only: null for portal users)' })(DocumentCommunicationsResolver.prototype, method, descriptor);
    Root()(DocumentCommunicationsResolver.prototype, method, 0);
    Args(() => DocumentCommunicationsArgs)(DocumentCommunicationsResolver.prototype, method, 1);
    Ctx()(DocumentCommunicationsResolver.prototype, method, 2);
    Object.defineProperty(DocumentCommunicationsResolver, 'name', { value: `${type}CommunicationsResolver` });
    return DocumentCommunicationsResolver;
  });
}
