/**
 * Administration through the API (issue #14, SPEC §1 role ADMIN): users and portal users, departments and their
 * supervisors, customers and their tier, bearer tokens, the policy settings, and the admin audit trail.
 *
 * Every mutation is refused FORBIDDEN for anybody without ADMIN before its input is looked at, and every refusal
 * (FORBIDDEN, VALIDATION, NOT_FOUND, STALE_VERSION) changes nothing: the work runs in one transaction that also
 * appends the change to the admin audit trail (src/admin/admin.audit.ts), and a refusal throws inside it. The
 * queries refuse non-admins with a FORBIDDEN error.
 *
 * A user's or a token's change reaches every API process's token cache on commit (the caller-change trigger,
 * src/auth/tokens.ts): a deactivated user, a revoked token, or a rotated one past its overlap is refused on the
 * next request. A setting's change reaches every process's SettingsService the same way (src/config/settings.ts).
 *
 * Idempotency-Key: issueApiToken and rotateApiToken do not keep their answer (it holds the token itself), like
 * the webhook secrets; the other mutations keep theirs like any mutation.
 */
import { changedRows } from '../db/returning';
import { ArgumentValidationError, Arg, Args, Ctx, Int, Mutation, Query, Resolver, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { ValidationError } from 'class-validator';
import { GraphQLError } from 'graphql';
import { In, type EntityManager } from 'typeorm';
import { generateToken, hashToken } from '../auth/tokens';
import { hasRole, Role, UserKind, type Caller } from '../auth/roles';
import { settingSpec, SETTING_SPECS, type SettingRow } from '../config/settings';
import { AuditChainVerification, type UserError } from '../graphql/common.types';
import { UserType } from '../organisation/organisation.types';
import type { Context } from '../graphql/context';
import { CursorError } from '../graphql/connection';
import { idOf, toGlobalId } from '../graphql/global-id';
import { IdempotencyRefusal, validationErrors } from '../graphql/mutation-middleware';
import { Customer, CustomerTier, Department, User } from '../organisation/organisation.entities';
import { UserErrorCode, type UserErrorData } from '../workflow/errors';
import { appendAdminAudit, verifyAdminTrail, type AdminChange } from './admin.audit';
import { AdminAuditEvent } from './admin.entities';
import {
  AdminAuditArgs,
  AdminAuditConnection,
  AdminAuditEventType,
  ApiTokenPayload,
  ApiTokensArgs,
  ApiTokenType,
  ChangeCustomerRegionInput,
  ChangeCustomerTierInput,
  ChangeSettingInput,
  CreateCustomerInput,
  CreateDepartmentInput,
  CreateUserInput,
  CustomerPayload,
  DepartmentPayload,
  DepartmentStatusInput,
  IssueApiTokenInput,
  RenameInput,
  RevokeApiTokenInput,
  RotateApiTokenInput,
  SetDepartmentSupervisorsInput,
  SettingPayload,
  SettingType,
  UpdateUserInput,
  UserPayload,
  UsersArgs,
  UserStatusInput,
} from './admin.types';
import { recomputePendingTiers } from './tier-recompute';

const FORBIDDEN: UserError = { code: UserErrorCode.FORBIDDEN, message: 'Only an administrator changes users, departments, customers, tokens and settings.', field: null };
/** every field a payload of this module may need to be well-formed when refused */
interface AdminPayload {
  userErrors: UserErrorData[];
  [field: string]: unknown;
}
const refused = (userErrors: UserErrorData[]): AdminPayload => ({ userErrors, recomputed: [], user: null, department: null, supervisors: null, customer: null, apiToken: null, token: null, setting: null });

const isAdmin = (ctx: Context) => hasRole(ctx.caller, Role.ADMIN);
/** refused before the input is even validated when the caller is not ADMIN */
const AdminOnly: MiddlewareFn<Context> = async ({ context }, next) => (isAdmin(context) ? next() : refused([FORBIDDEN]));
/** class-validator's findings, as VALIDATION userErrors in this module's payloads */
const AdminValidation: MiddlewareFn = async (_, next) => {
  try {
    return await next();
  } catch (error) {
    if (!(error instanceof ArgumentValidationError)) throw error;
    return refused(validationErrors(error.extensions.validationErrors as ValidationError[]));
  }
};

function requireAdmin(ctx: Context): void {
  if (!isAdmin(ctx)) throw new GraphQLError('Only an administrator reads the administration.', { extensions: { code: 'FORBIDDEN' } });
}

/** a refusal inside an admin transaction: rolls it back, answered as userErrors */
class AdminRefusal extends Error {
  constructor(readonly errors: UserError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}
function refuse(code: UserErrorCode, message: string, field: string | null = null): never {
  throw new AdminRefusal([{ code, message, field }]);
}
function invalid(message: string, field: string | null = null): never {
  return refuse(UserErrorCode.VALIDATION, message, field);
}
function missing(what: string, field = 'id'): never {
  return refuse(UserErrorCode.NOT_FOUND, `No ${what} with this id.`, field);
}

/** {from, to} of every field that differs */
function diff(before: Record<string, unknown>, after: Record<string, unknown>): Record<string, { from: unknown; to: unknown }> {
  const out: Record<string, { from: unknown; to: unknown }> = {};
  for (const key of Object.keys(after)) {
    const from = before[key] ?? null;
    const to = after[key] ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) out[key] = { from, to };
  }
  return out;
}

/**
 * Runs one admin change: the work and its audit entries in one transaction; a refusal changes nothing. `keep`:
 * whether an Idempotency-Key may keep the answer (not when it holds a token).
 */
async function adminChange<T extends object>(ctx: Context, work: (m: EntityManager, audit: AdminChange[], callers: Set<string>) => Promise<T>, keep = true): Promise<AdminPayload> {
  try {
    const callers = new Set<string>();
    const result = await ctx.dataSource.transaction(async (m) => {
      const audit: AdminChange[] = [];
      const out = await work(m, audit, callers);
      await appendAdminAudit(m, ctx.caller, ctx.meta.requestId, ctx.config.clock(), audit);
      return out;
    });
    // the users whose sign-in changed: this process's cache forgets them now, the others on the notification
    for (const userId of callers) ctx.forgetCaller?.(userId);
    if (keep) ctx.effects.committed = true;
    return { ...refused([]), ...result };
  } catch (error) {
    if (error instanceof AdminRefusal) return refused(error.errors);
    if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') return refused([{ code: UserErrorCode.VALIDATION, message: 'That code or login is already taken.', field: null }]);
    throw error;
  }
}

// ─── users ────────────────────────────────────────────────────────────────────────────────────────

interface UserShape {
  kind: UserKind;
  roles: Role[];
  departmentId: string | null;
  customerId: string | null;
  regionCode: string | null;
}

/** SPEC §1: a portal user is a customer's (the single role CUSTOMER, with a customer); a supervisor has a department. */
async function checkUser(m: EntityManager, u: UserShape): Promise<void> {
  const roles = new Set(u.roles);
  if (roles.size !== u.roles.length) invalid('roles must not repeat', 'roles');
  if (roles.has(Role.CUSTOMER)) {
    if (roles.size > 1) invalid('a portal user (CUSTOMER) holds no other role', 'roles');
    if (!u.customerId) invalid('a portal user (CUSTOMER) needs its customer', 'customerId');
    if (u.departmentId) invalid('a portal user (CUSTOMER) belongs to no department', 'departmentId');
  } else if (u.customerId) invalid('only a portal user (role CUSTOMER) has a customer', 'customerId');
  if (roles.has(Role.SUPERVISOR) && !u.departmentId) invalid('a SUPERVISOR needs the department they supervise', 'departmentId');
  if (u.departmentId) {
    const [d]: Array<{ active: boolean }> = await m.query(`SELECT active FROM department WHERE id = $1 FOR SHARE`, [u.departmentId]);
    if (!d) missing('department', 'departmentId');
    if (!d.active) invalid('the department is deactivated', 'departmentId');
  }
  if (u.customerId && !(await m.query(`SELECT 1 FROM customer WHERE id = $1 FOR SHARE`, [u.customerId])).length) missing('customer', 'customerId');
  if (u.regionCode && roles.has(Role.CUSTOMER)) invalid('a portal user (CUSTOMER) has no service region', 'regionCode');
  await checkRegion(m, u.regionCode);
}

/** a region given must be one of the regions (src/organisation/field-service.entities.ts) */
async function checkRegion(m: EntityManager, code: string | null | undefined): Promise<void> {
  if (code && !(await m.query(`SELECT 1 FROM region WHERE code = $1 FOR SHARE`, [code])).length) invalid(`${code.slice(0, 50)} is not a region`, 'regionCode');
}

/** a global id given (or null, or left out) → the row id (null / undefined); an id of another type is NOT_FOUND */
function refOf(globalId: string | null | undefined, type: string, field: string): string | null | undefined {
  if (globalId === undefined) return undefined;
  if (globalId === null) return null;
  return idOf(globalId, type) ?? missing(type.toLowerCase(), field);
}

async function lockUser(m: EntityManager, globalId: string, field = 'id'): Promise<User> {
  const id = idOf(globalId, 'User');
  const user = id ? await m.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
  return user ?? missing('user', field);
}

const userFields = (u: User) => ({ name: u.name, login: u.login, kind: u.kind, roles: [...u.roles], departmentId: u.departmentId, customerId: u.customerId, regionCode: u.regionCode, active: u.active });

async function setUserStatus(ctx: Context, input: UserStatusInput, active: boolean) {
  return adminChange(ctx, async (m, audit, callers) => {
    const user = await lockUser(m, input.id);
    callers.add(user.id);
    if (!active && user.id === ctx.caller.userId) invalid('An administrator cannot deactivate themself.', 'id');
    if (user.active === active) invalid(`The user is already ${active ? 'active' : 'deactivated'}.`, 'id');
    await m.query(`UPDATE app_user SET active = $2 WHERE id = $1`, [user.id, active]);
    audit.push({ subjectType: 'User', subjectId: toGlobalId('User', user.id), event: active ? 'REACTIVATE_USER' : 'DEACTIVATE_USER', reason: input.reason ?? null, changes: { active: { from: !active, to: active } } });
    return { user: { ...user, active } };
  });
}

// ─── tokens ───────────────────────────────────────────────────────────────────────────────────────

interface TokenRow {
  id: string;
  userId: string;
  label: string;
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
  active: boolean;
}
const TOKEN_COLUMNS = `t.id, t.user_id AS "userId", t.label, t.created_at AS "createdAt", t.revoked_at AS "revokedAt", t.expires_at AS "expiresAt",
  (t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now())) AS active`;

async function tokensOut(db: Pick<EntityManager, 'query' | 'getRepository'>, rows: TokenRow[]): Promise<ApiTokenType[]> {
  const users = rows.length ? await db.getRepository(User).find({ where: { id: In([...new Set(rows.map((r) => r.userId))]) } }) : [];
  return rows.map(({ userId, ...r }) => ({ ...r, id: toGlobalId('ApiToken', r.id), user: users.find((u) => u.id === userId)! }));
}

async function lockActiveToken(m: EntityManager, globalId: string): Promise<TokenRow> {
  const id = idOf(globalId, 'ApiToken');
  const [row]: TokenRow[] = id ? await m.query(`SELECT ${TOKEN_COLUMNS} FROM api_token t WHERE t.id = $1 FOR UPDATE`, [id]) : [];
  if (!row) missing('token');
  if (!row.active) invalid('The token is already revoked or expired.', 'id');
  return row;
}

async function newToken(m: EntityManager, caller: Caller, userId: string, label: string): Promise<{ token: string; row: TokenRow }> {
  const token = generateToken();
  const [{ id }] = await m.query(`INSERT INTO api_token (user_id, label, token_hash, issued_by_id) VALUES ($1, $2, $3, $4) RETURNING id`, [userId, label, hashToken(token), caller.userId]);
  const [row]: TokenRow[] = await m.query(`SELECT ${TOKEN_COLUMNS} FROM api_token t WHERE t.id = $1`, [id]);
  return { token, row };
}

// ─── settings ─────────────────────────────────────────────────────────────────────────────────────

const settingOut = (r: SettingRow): SettingType => ({
  key: r.key,
  description: settingSpec(r.key)?.description ?? '',
  value: r.value,
  version: r.version,
  changedBy: r.changedById ? { id: toGlobalId('User', r.changedById), name: r.changedByName ?? '' } : null,
  changedAt: r.changedAt,
  reason: r.reason,
});

// ─── the trail ────────────────────────────────────────────────────────────────────────────────────

const VERIFY_BATCH = 1_000;
const cursorOf = (seq: number) => Buffer.from(JSON.stringify(['admin', seq])).toString('base64url');
function seqOf(cursor: string): number {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v[0] === 'admin' && Number.isSafeInteger(v[1]) && v[1] >= 0) return v[1];
  } catch {
    /* below */
  }
  throw new CursorError('after is not a cursor this trail gave out');
}

const eventOut = (e: AdminAuditEvent): AdminAuditEventType => ({
  seq: e.seq,
  subjectType: e.subjectType,
  subjectId: e.subjectId,
  event: e.event,
  actor: { id: toGlobalId('User', e.actorId), name: e.actorName },
  actorRoles: e.actorRoles as Role[],
  at: e.at,
  reason: e.reason,
  changes: e.changes,
  requestId: e.requestId,
  prevHash: e.prevHash,
  hash: e.hash,
});

@Resolver()
export class AdminResolver {
  // ── queries ──

  @Query(() => [UserType], { description: 'ADMIN: every user and automation (portal users are those with a customer)' })
  users(@Args(() => UsersArgs) args: UsersArgs, @Ctx() ctx: Context): Promise<User[]> {
    requireAdmin(ctx);
    return ctx.dataSource.getRepository(User).find({ where: args.includeInactive === false ? { active: true } : {}, order: { login: 'ASC' } });
  }

  @Query(() => [ApiTokenType], { description: 'ADMIN: tokens (never their secret), newest first' })
  async apiTokens(@Args(() => ApiTokensArgs) args: ApiTokensArgs, @Ctx() ctx: Context): Promise<ApiTokenType[]> {
    requireAdmin(ctx);
    const userId = args.userId ? idOf(args.userId, 'User') : null;
    if (args.userId && !userId) return [];
    const rows: TokenRow[] = await ctx.dataSource.query(`SELECT ${TOKEN_COLUMNS} FROM api_token t ${userId ? 'WHERE t.user_id = $1' : ''} ORDER BY t.created_at DESC, t.id LIMIT 1000`, userId ? [userId] : []);
    return tokensOut(ctx.dataSource, rows);
  }

  @Query(() => [SettingType], { description: 'ADMIN: the policy settings as every rule reads them now, with version and last change' })
  settings(@Ctx() ctx: Context): SettingType[] {
    requireAdmin(ctx);
    const rows = ctx.engine.policy.list();
    return SETTING_SPECS.map((s) => rows.find((r) => r.key === s.key)).filter((r): r is SettingRow => !!r).map(settingOut);
  }

  @Query(() => AdminAuditConnection, { description: 'ADMIN: the admin audit trail, oldest first' })
  async adminAuditTrail(@Args(() => AdminAuditArgs) args: AdminAuditArgs, @Ctx() ctx: Context): Promise<AdminAuditConnection> {
    requireAdmin(ctx);
    const first = Math.min(args.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize);
    const after = args.after ? seqOf(args.after) : 0;
    const repo = ctx.dataSource.getRepository(AdminAuditEvent);
    const rows = await repo.createQueryBuilder('e').where('e.seq > :after', { after }).orderBy('e.seq', 'ASC').limit(first + 1).getMany();
    const page = rows.slice(0, first);
    return {
      nodes: page.map(eventOut),
      pageInfo: { hasNextPage: rows.length > first, endCursor: page.length ? cursorOf(page[page.length - 1].seq) : null },
      totalCount: await repo.count(),
    };
  }

  @Query(() => AuditChainVerification, {
    description: `ADMIN: recomputes the admin trail's hash chain from fromSeq, ${VERIFY_BATCH} events per call`,
  })
  async verifyAdminAuditTrail(@Arg('fromSeq', () => Int, { nullable: true, defaultValue: 1 }) fromSeq: number, @Ctx() ctx: Context): Promise<AuditChainVerification> {
    requireAdmin(ctx);
    if (!Number.isSafeInteger(fromSeq) || fromSeq < 1) throw new GraphQLError('fromSeq must be 1 or more', { extensions: { code: 'VALIDATION', field: 'fromSeq' } });
    const rows = await ctx.dataSource
      .getRepository(AdminAuditEvent)
      .createQueryBuilder('e')
      .where('e.seq >= :from', { from: fromSeq - 1 })
      .orderBy('e.seq', 'ASC')
      .limit(VERIFY_BATCH + 2)
      .getMany();
    const previous = fromSeq > 1 ? (rows.find((r) => r.seq === fromSeq - 1) ?? null) : null;
    if (fromSeq > 1 && !previous) return { valid: false, eventCount: 0, brokenAtSeq: fromSeq - 1, reason: `event #${fromSeq - 1} is missing`, checkedThroughSeq: 0, complete: true };
    const batch = rows.filter((r) => r.seq >= fromSeq);
    const checked = batch.slice(0, VERIFY_BATCH);
    const result = verifyAdminTrail(checked, previous);
    return { ...result, checkedThroughSeq: checked.at(-1)?.seq ?? 0, complete: batch.length <= VERIFY_BATCH };
  }

  // ── users ──

  @Mutation(() => UserPayload, { description: 'ADMIN: a person or an automation; a portal user has a customer and the role CUSTOMER' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  createUser(@Arg('input', () => CreateUserInput) input: CreateUserInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit) => {
      const shape: UserShape = { kind: input.kind, roles: input.roles, departmentId: refOf(input.departmentId, 'Department', 'departmentId') ?? null, customerId: refOf(input.customerId, 'Customer', 'customerId') ?? null, regionCode: input.regionCode ?? null };
      await checkUser(m, shape);
      if ((await m.query(`SELECT 1 FROM app_user WHERE login = $1`, [input.login])).length) invalid('That login is already taken.', 'login');
      const user = await m.getRepository(User).save(m.create(User, { name: input.name.trim(), login: input.login, ...shape, active: true }));
      audit.push({ subjectType: 'User', subjectId: toGlobalId('User', user.id), event: 'CREATE_USER', changes: diff({}, userFields(user)) });
      return { user };
    });
  }

  @Mutation(() => UserPayload, { description: 'ADMIN: name, roles, department, customer or service region of a user (a SUPERVISOR with a department supervises it)' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  updateUser(@Arg('input', () => UpdateUserInput) input: UpdateUserInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit, callers) => {
      const user = await lockUser(m, input.id);
      callers.add(user.id);
      const departmentId = refOf(input.departmentId, 'Department', 'departmentId');
      const customerId = refOf(input.customerId, 'Customer', 'customerId');
      const after = { ...user, name: input.name?.trim() ?? user.name, roles: input.roles ?? user.roles, departmentId: departmentId === undefined ? user.departmentId : departmentId, customerId: customerId === undefined ? user.customerId : customerId, regionCode: input.regionCode === undefined ? user.regionCode : input.regionCode };
      await checkUser(m, after);
      if (user.id === ctx.caller.userId && !after.roles.includes(Role.ADMIN)) invalid('An administrator cannot take their own ADMIN role away.', 'roles');
      const changes = diff(userFields(user), userFields(after));
      if (!Object.keys(changes).length) invalid('Nothing to change.', null);
      await m.query(`UPDATE app_user SET name = $2, roles = $3, department_id = $4, customer_id = $5, region_code = $6 WHERE id = $1`, [user.id, after.name, after.roles, after.departmentId, after.customerId, after.regionCode]);
      audit.push({ subjectType: 'User', subjectId: toGlobalId('User', user.id), event: 'UPDATE_USER', changes });
      return { user: after };
    });
  }

  @Mutation(() => UserPayload, { description: 'ADMIN: the user signs in no more; every token of theirs is refused from the next request' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  deactivateUser(@Arg('input', () => UserStatusInput) input: UserStatusInput, @Ctx() ctx: Context) {
    return setUserStatus(ctx, input, false);
  }

  @Mutation(() => UserPayload, { description: 'ADMIN: the user\'s tokens not revoked work again' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  reactivateUser(@Arg('input', () => UserStatusInput) input: UserStatusInput, @Ctx() ctx: Context) {
    return setUserStatus(ctx, input, true);
  }

  // ── departments ──

  @Mutation(() => DepartmentPayload, { description: 'ADMIN: a new department' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  createDepartment(@Arg('input', () => CreateDepartmentInput) input: CreateDepartmentInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit) => {
      if ((await m.query(`SELECT 1 FROM department WHERE code = $1`, [input.code])).length) invalid('That department code is already taken.', 'code');
      const department = await m.getRepository(Department).save(m.create(Department, { code: input.code, name: input.name.trim(), active: true }));
      audit.push({ subjectType: 'Department', subjectId: toGlobalId('Department', department.id), event: 'CREATE_DEPARTMENT', changes: diff({}, { code: department.code, name: department.name }) });
      return { department };
    });
  }

  @Mutation(() => DepartmentPayload, { description: 'ADMIN: a department\'s name' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  renameDepartment(@Arg('input', () => RenameInput) input: RenameInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit) => ({ department: await rename(m, audit, Department, input) }));
  }

  @Mutation(() => DepartmentPayload, { description: 'ADMIN: a department takes no new members; refused while active users belong to it' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  deactivateDepartment(@Arg('input', () => DepartmentStatusInput) input: DepartmentStatusInput, @Ctx() ctx: Context) {
    return this.departmentStatus(ctx, input, false);
  }

  @Mutation(() => DepartmentPayload, { description: 'ADMIN: a deactivated department in use again' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  reactivateDepartment(@Arg('input', () => DepartmentStatusInput) input: DepartmentStatusInput, @Ctx() ctx: Context) {
    return this.departmentStatus(ctx, input, true);
  }

  private departmentStatus(ctx: Context, input: DepartmentStatusInput, active: boolean) {
    return adminChange(ctx, async (m, audit) => {
      const department = await lockRow(m, Department, input.id, 'department');
      if (department.active === active) invalid(`The department is already ${active ? 'active' : 'deactivated'}.`, 'id');
      if (!active) {
        const [{ n }] = await m.query(`SELECT count(*)::int AS n FROM app_user WHERE department_id = $1 AND active`, [department.id]);
        if (n > 0) invalid(`${n} active user(s) still belong to the department: move or deactivate them first.`, 'id');
      }
      await m.query(`UPDATE department SET active = $2 WHERE id = $1`, [department.id, active]);
      audit.push({ subjectType: 'Department', subjectId: input.id, event: active ? 'REACTIVATE_DEPARTMENT' : 'DEACTIVATE_DEPARTMENT', changes: { active: { from: !active, to: active } } });
      return { department: { ...department, active } };
    });
  }

  @Mutation(() => DepartmentPayload, { description: 'ADMIN: exactly these users supervise the department (role SUPERVISOR + the department); its other supervisors lose the role' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  setDepartmentSupervisors(@Arg('input', () => SetDepartmentSupervisorsInput) input: SetDepartmentSupervisorsInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit, callers) => {
      const department = await lockRow(m, Department, input.departmentId, 'department', 'departmentId');
      if (!department.active) invalid('The department is deactivated.', 'departmentId');
      const wanted = [...new Set(input.userIds.map((g) => idOf(g, 'User') ?? missing('user', 'userIds')))];
      const users = await m.getRepository(User).find({ where: [{ id: In(wanted) }, { departmentId: department.id }], order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      for (const id of wanted) {
        const u = users.find((x) => x.id === id);
        if (!u) missing('user', 'userIds');
        if (!u.active) invalid(`${u.name} is deactivated.`, 'userIds');
        if (u.customerId) invalid(`${u.name} is a portal user.`, 'userIds');
      }
      const supervisors: User[] = [];
      for (const u of users) {
        const supervises = wanted.includes(u.id);
        const after = { ...u, roles: supervises ? [...new Set([...u.roles, Role.SUPERVISOR])] : u.roles.filter((r) => r !== Role.SUPERVISOR), departmentId: supervises ? department.id : u.departmentId };
        if (supervises) supervisors.push(after);
        const changes = diff(userFields(u), userFields(after));
        if (!Object.keys(changes).length) continue;
        if (!after.roles.length) invalid(`${u.name} would be left without a role: give them another one first.`, 'userIds');
        await m.query(`UPDATE app_user SET roles = $2, department_id = $3 WHERE id = $1`, [u.id, after.roles, after.departmentId]);
        callers.add(u.id);
        audit.push({ subjectType: 'User', subjectId: toGlobalId('User', u.id), event: 'UPDATE_USER', reason: `supervisors of ${department.code}`, changes });
      }
      if (!audit.length) invalid('Nothing to change.', 'userIds');
      return { department, supervisors };
    });
  }

  // ── customers ──

  @Mutation(() => CustomerPayload, { description: 'ADMIN: a new customer organisation (its portal users are created with createUser)' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  createCustomer(@Arg('input', () => CreateCustomerInput) input: CreateCustomerInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit) => {
      if ((await m.query(`SELECT 1 FROM customer WHERE code = $1`, [input.code])).length) invalid('That customer code is already taken.', 'code');
      await checkRegion(m, input.regionCode);
      const customer = await m.getRepository(Customer).save(m.create(Customer, { code: input.code, name: input.name.trim(), tier: input.tier, regionCode: input.regionCode ?? null }));
      audit.push({ subjectType: 'Customer', subjectId: toGlobalId('Customer', customer.id), event: 'CREATE_CUSTOMER', changes: diff({}, { code: customer.code, name: customer.name, tier: customer.tier, regionCode: customer.regionCode }) });
      return { customer };
    });
  }

  @Mutation(() => CustomerPayload, { description: 'ADMIN: a customer\'s name' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  renameCustomer(@Arg('input', () => RenameInput) input: RenameInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit) => ({ customer: await rename(m, audit, Customer, input) }));
  }

  @Mutation(() => CustomerPayload, {
    description: 'ADMIN: STANDARD or KEY (SPEC §2). Audited; the tier of the customer\'s documents not yet approved (DRAFT, PENDING_APPROVAL) is computed again, each recomputation audited',
  })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  changeCustomerTier(@Arg('input', () => ChangeCustomerTierInput) input: ChangeCustomerTierInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit) => {
      const customer = await lockRow(m, Customer, input.id, 'customer');
      if (customer.tier === input.tier) invalid(`The customer is already ${input.tier}.`, 'tier');
      await m.query(`UPDATE customer SET tier = $2 WHERE id = $1`, [customer.id, input.tier]);
      audit.push({ subjectType: 'Customer', subjectId: input.id, event: 'CHANGE_CUSTOMER_TIER', reason: input.reason, changes: { tier: { from: customer.tier, to: input.tier } } });
      const recomputed = await recomputePendingTiers(m, customer.id, input.tier as CustomerTier, ctx.engine.policy.current().executiveThreshold);
      for (const r of recomputed) {
        audit.push({ subjectType: r.documentType, subjectId: toGlobalId(r.documentType, r.id), event: 'RECOMPUTE_TIER', reason: `customer ${customer.code} is now ${input.tier}`, changes: { tier: { from: r.from, to: r.to }, number: { from: null, to: r.number } } });
      }
      return { customer: { ...customer, tier: input.tier }, recomputed: recomputed.map((r) => ({ documentType: r.documentType, documentId: toGlobalId(r.documentType, r.id), number: r.number, state: r.state, from: r.from, to: r.to })) };
    });
  }

  @Mutation(() => CustomerPayload, { description: 'ADMIN: the service region of a customer\'s site (its new requests default to it); null clears it. Audited' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  changeCustomerRegion(@Arg('input', () => ChangeCustomerRegionInput) input: ChangeCustomerRegionInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit) => {
      const customer = await lockRow(m, Customer, input.id, 'customer');
      if ((customer.regionCode ?? null) === (input.regionCode ?? null)) invalid('Nothing to change.', 'regionCode');
      await checkRegion(m, input.regionCode);
      await m.query(`UPDATE customer SET region_code = $2 WHERE id = $1`, [customer.id, input.regionCode ?? null]);
      audit.push({ subjectType: 'Customer', subjectId: input.id, event: 'CHANGE_CUSTOMER_REGION', reason: input.reason, changes: { regionCode: { from: customer.regionCode ?? null, to: input.regionCode ?? null } } });
      return { customer: { ...customer, regionCode: input.regionCode ?? null } };
    });
  }

  // ── tokens ──

  @Mutation(() => ApiTokenPayload, { description: 'ADMIN: a bearer token for a user or automation; the answer carries it, shown this once' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  issueApiToken(@Arg('input', () => IssueApiTokenInput) input: IssueApiTokenInput, @Ctx() ctx: Context) {
    return adminChange(
      ctx,
      async (m, audit) => {
        const user = await lockUser(m, input.userId, 'userId');
        if (!user.active) invalid('The user is deactivated: reactivate them first.', 'userId');
        const { token, row } = await newToken(m, ctx.caller, user.id, input.label.trim());
        audit.push({ subjectType: 'ApiToken', subjectId: toGlobalId('ApiToken', row.id), event: 'ISSUE_TOKEN', changes: diff({}, { userId: toGlobalId('User', user.id), label: row.label }) });
        return { apiToken: (await tokensOut(m, [row]))[0], token };
      },
      false,
    );
  }

  @Mutation(() => ApiTokenPayload, { description: 'ADMIN: a new token in place of this one, shown this once; the old one keeps working for overlapSeconds, then is refused' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  rotateApiToken(@Arg('input', () => RotateApiTokenInput) input: RotateApiTokenInput, @Ctx() ctx: Context) {
    return adminChange(
      ctx,
      async (m, audit, callers) => {
        const old = await lockActiveToken(m, input.id);
        callers.add(old.userId);
        // a token already rotated keeps its one successor and its expiry: rotating it again would leave two live successors
        if (old.expiresAt) invalid('The token was already rotated (it expires at the end of its overlap): rotate its successor instead.', 'id');
        const [{ expires_at }] = await changedRows<{ expires_at: Date }>(m, `UPDATE api_token SET expires_at = now() + make_interval(secs => $2) WHERE id = $1 RETURNING expires_at`, [old.id, input.overlapSeconds]);
        const { token, row } = await newToken(m, ctx.caller, old.userId, old.label);
        audit.push({ subjectType: 'ApiToken', subjectId: input.id, event: 'ROTATE_TOKEN', changes: { expiresAt: { from: null, to: expires_at }, replacedBy: { from: null, to: toGlobalId('ApiToken', row.id) } } });
        audit.push({ subjectType: 'ApiToken', subjectId: toGlobalId('ApiToken', row.id), event: 'ISSUE_TOKEN', reason: 'rotation', changes: diff({}, { userId: toGlobalId('User', old.userId), label: row.label }) });
        return { apiToken: (await tokensOut(m, [row]))[0], token };
      },
      false,
    );
  }

  @Mutation(() => ApiTokenPayload, { description: 'ADMIN: the token is refused from the next request' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  revokeApiToken(@Arg('input', () => RevokeApiTokenInput) input: RevokeApiTokenInput, @Ctx() ctx: Context) {
    return adminChange(ctx, async (m, audit, callers) => {
      const old = await lockActiveToken(m, input.id);
      callers.add(old.userId);
      const [row] = await changedRows<TokenRow>(m, `UPDATE api_token t SET revoked_at = now() WHERE t.id = $1 RETURNING ${TOKEN_COLUMNS}`, [old.id]);
      audit.push({ subjectType: 'ApiToken', subjectId: input.id, event: 'REVOKE_TOKEN', reason: input.reason ?? null, changes: { revokedAt: { from: null, to: row.revokedAt } } });
      return { apiToken: (await tokensOut(m, [row]))[0] };
    });
  }

  // ── settings ──

  @Mutation(() => SettingPayload, { description: 'ADMIN: a new version of a policy setting, checked per key; applies from the next event or request on, in every API process' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, AdminValidation)
  async changeSetting(@Arg('input', () => ChangeSettingInput) input: ChangeSettingInput, @Ctx() ctx: Context) {
    const settings = ctx.engine.policy;
    const out = await adminChange(ctx, async (m, audit) => {
      const spec = settingSpec(input.key) ?? invalid(`${input.key.slice(0, 60)} is not a setting: one of ${SETTING_SPECS.map((s) => s.key).join(', ')}`, 'key');
      const problem = spec.check(input.value, settings.knownTypes);
      if (problem) invalid(`${spec.key} ${problem}`, 'value');
      const [row]: Array<{ value: unknown; version: number }> = await m.query(`SELECT value, version FROM setting WHERE key = $1 FOR UPDATE`, [spec.key]);
      if (!row) missing('setting', 'key');
      if (row.version !== input.expectedVersion) refuse(UserErrorCode.STALE_VERSION, `${spec.key} is at version ${row.version}, not ${input.expectedVersion}: reload it and try again.`, 'expectedVersion');
      if (JSON.stringify(row.value) === JSON.stringify(input.value)) invalid(`${spec.key} already has this value.`, 'value');
      await m.query(`UPDATE setting SET value = $2, version = version + 1, changed_by_id = $3, changed_by_name = $4, changed_at = $5, reason = $6 WHERE key = $1`, [
        spec.key,
        JSON.stringify(input.value),
        ctx.caller.userId,
        ctx.caller.name,
        ctx.config.clock(),
        input.reason,
      ]);
      audit.push({ subjectType: 'Setting', subjectId: spec.key, event: 'CHANGE_SETTING', reason: input.reason, changes: { value: { from: row.value, to: input.value }, version: { from: row.version, to: row.version + 1 } } });
      return {};
    });
    if (out.userErrors.length) return out;
    // this process at once (the others on the notification): the next request here applies the new value
    await settings.reload();
    return { ...out, setting: settingOut(settings.list().find((r) => r.key === input.key)!) };
  }
}

/** a department's or a customer's new name, audited as RENAME_DEPARTMENT / RENAME_CUSTOMER */
async function rename<T extends Department | Customer>(m: EntityManager, audit: AdminChange[], entity: new () => T, input: RenameInput): Promise<T> {
  const row = await lockRow(m, entity, input.id, entity.name.toLowerCase());
  const name = input.name.trim();
  if (name === row.name) invalid('Nothing to change.', 'name');
  await m.getRepository(entity).update(row.id, { name } as never);
  audit.push({ subjectType: entity.name, subjectId: input.id, event: `RENAME_${entity.name.toUpperCase()}`, changes: { name: { from: row.name, to: name } } });
  return { ...row, name };
}

async function lockRow<T extends Department | Customer>(m: EntityManager, entity: new () => T, globalId: string, what: string, field = 'id'): Promise<T> {
  const id = idOf(globalId, entity.name);
  const row = id ? await m.getRepository(entity).findOne({ where: { id } as never, lock: { mode: 'pessimistic_write' } }) : null;
  return (row as T | null) ?? missing(what, field);
}

