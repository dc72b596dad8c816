/**
 * Webhook administration (ADMIN only): register, rotate the secret, disable and enable, list, and read the
 * delivery log. A secret is returned by the mutation that makes it and by nothing else: it lives in
 * webhook_secret, which no type of this schema reads. Refusals are userErrors (FORBIDDEN for a caller
 * without ADMIN, VALIDATION, NOT_FOUND); the queries refuse with a FORBIDDEN error.
 *
 * Idempotency-Key: registerWebhook and rotateWebhookSecret never mark their request as committed, so their
 * answer (which holds the secret) is not kept in idempotency_record; the key is released and a retry runs
 * again. disableWebhook and enableWebhook keep their answer like any mutation.
 */
import { changedRows } from '../../db/returning';
import { GraphQLError } from 'graphql';
import { Arg, Args, Ctx, Mutation, Query, Resolver, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import type { EntityManager } from 'typeorm';
import { hasRole, Role } from '../../auth/roles';
import type { Context } from '../../graphql/context';
import { CursorError } from '../../graphql/connection';
import { idOf, toGlobalId } from '../../graphql/global-id';
import { IdempotencyRefusal, InputValidationAsUserErrors } from '../../graphql/mutation-middleware';
import { UserErrorCode } from '../../workflow/errors';
import type { UserError } from '../../graphql/common.types';
import { newWebhookSecret } from './signature';
import {
  RegisterWebhookInput,
  RegisterWebhookPayload,
  RotateWebhookSecretInput,
  RotateWebhookSecretPayload,
  WebhookDeliveriesArgs,
  WebhookDelivery,
  WebhookDeliveryConnection,
  WebhookDeliveryStatus,
  WebhookIdInput,
  WebhookPayload,
  WebhookType,
} from './webhook.types';

const TYPE = 'Webhook';
const MAX_EVENT_TYPES = 50;
/** `*`, `Type.*` or `Type.EVENT`: matched against `${documentType}.${event}` of every outbox event, whatever wrote it */
const EVENT_TYPE = /^(\*|[A-Z][A-Za-z0-9]*\.(\*|[A-Z][A-Z0-9_]*))$/;
const FORBIDDEN: UserError = { code: UserErrorCode.FORBIDDEN, message: 'Only an administrator manages webhooks.', field: null };

const isAdmin = (ctx: Context) => hasRole(ctx.caller, Role.ADMIN);

/** every webhook mutation: refused before its input is even validated when the caller is not ADMIN */
const AdminOnly: MiddlewareFn<Context> = async ({ context }, next) => (isAdmin(context) ? next() : { webhook: null, userErrors: [FORBIDDEN] });

function requireAdmin(ctx: Context): void {
  if (!isAdmin(ctx)) throw new GraphQLError('Only an administrator reads webhooks.', { extensions: { code: 'FORBIDDEN' } });
}

/** What a URL and event types must be; one VALIDATION error per problem. */
export function endpointProblems(url: string, eventTypes: string[]): UserError[] {
  const problems: UserError[] = [];
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    problems.push({ code: UserErrorCode.VALIDATION, message: 'url is not an absolute URL', field: 'url' });
  }
  if (parsed) {
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.push({ code: UserErrorCode.VALIDATION, message: 'url must be http or https', field: 'url' });
    else if (!parsed.hostname) problems.push({ code: UserErrorCode.VALIDATION, message: 'url must name a host', field: 'url' });
    // a password in the URL would be shown by every `webhooks` query
    if (parsed.username || parsed.password) problems.push({ code: UserErrorCode.VALIDATION, message: 'url must not carry a user or password', field: 'url' });
    if (parsed.hash) problems.push({ code: UserErrorCode.VALIDATION, message: 'url must not have a #fragment', field: 'url' });
  }
  if (eventTypes.length === 0) problems.push({ code: UserErrorCode.VALIDATION, message: 'eventTypes must name at least one event type', field: 'eventTypes' });
  if (eventTypes.length > MAX_EVENT_TYPES) problems.push({ code: UserErrorCode.VALIDATION, message: `eventTypes may name at most ${MAX_EVENT_TYPES}`, field: 'eventTypes' });
  for (const t of eventTypes) {
    if (!EVENT_TYPE.test(t)) problems.push({ code: UserErrorCode.VALIDATION, message: `"${t.slice(0, 100)}" is not an event type: write Type.EVENT (ServiceRequest.SUBMIT), Type.* or *`, field: 'eventTypes' });
  }
  return problems;
}

const ENDPOINT_COLUMNS = `e.id, e.url, e.event_types AS "eventTypes", e.description, e.enabled, e.created_at AS "createdAt", e.secret_rotated_at AS "secretRotatedAt",
  (SELECT max(s.expires_at) FROM webhook_secret s WHERE s.endpoint_id = e.id AND s.expires_at > now()) AS "previousSecretExpiresAt"`;

async function loadEndpoints(db: Pick<EntityManager, 'query'>, id?: string): Promise<WebhookType[]> {
  const rows: WebhookType[] = await db.query(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoint e ${id ? 'WHERE e.id = $1' : ''} ORDER BY e.created_at, e.id`, id ? [id] : []);
  return rows.map((r) => ({ ...r, id: toGlobalId(TYPE, r.id) }));
}

const notFound = (): UserError => ({ code: UserErrorCode.NOT_FOUND, message: 'No webhook with this id.', field: 'id' });

/** `createdAt` to the microsecond, as PostgreSQL keeps it (deliveries queued in one transaction share it: a millisecond would skip them) */
const encodeCursor = (createdAt: string, id: string) => Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && !Number.isNaN(Date.parse(value[0])) && /^[0-9a-f-]{36}$/.test(value[1])) return value as [string, string];
  } catch {
    /* fall through */
  }
  throw new CursorError('after is not a cursor this log gave out');
}

@Resolver()
export class WebhookResolver {
  @Query(() => [WebhookType], { description: 'Every registered webhook endpoint, without secrets (ADMIN only)' })
  webhooks(@Ctx() ctx: Context): Promise<WebhookType[]> {
    requireAdmin(ctx);
    return loadEndpoints(ctx.dataSource);
  }

  @Query(() => WebhookDeliveryConnection, { description: 'An endpoint\'s delivery log, newest first, with every attempt (ADMIN only)' })
  async webhookDeliveries(@Args(() => WebhookDeliveriesArgs) args: WebhookDeliveriesArgs, @Ctx() ctx: Context): Promise<WebhookDeliveryConnection> {
    requireAdmin(ctx);
    const endpointId = idOf(args.webhookId, TYPE);
    const empty = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    if (!endpointId) return empty;
    const first = Math.min(args.first ?? ctx.config.defaultPageSize, ctx.config.maxPageSize);
    const params: unknown[] = [endpointId, first + 1];
    let after = '';
    if (args.after) {
      const [createdAt, id] = decodeCursor(args.after);
      params.push(createdAt, id);
      after = `AND (d.created_at, d.id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows: Array<Omit<WebhookDelivery, 'attempts'> & { createdAtKey: string }> = await ctx.dataSource.query(
      `SELECT d.id, d.event_id AS "eventId", d.event_type AS "eventType", d.status, d.created_at AS "createdAt", d.next_attempt_at AS "nextAttemptAt", d.finished_at AS "finishedAt",
              to_char(d.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAtKey"
         FROM webhook_delivery d WHERE d.endpoint_id = $1 ${after} ORDER BY d.created_at DESC, d.id DESC LIMIT $2`,
      params,
    );
    const page = rows.slice(0, first);
    // the attempts of the whole page in one statement
    const attempts: Array<{ deliveryId: string; attempt: number; at: Date; httpStatus: number | null; error: string | null; durationMs: number }> = page.length
      ? await ctx.dataSource.query(
          `SELECT delivery_id AS "deliveryId", attempt, at, http_status AS "httpStatus", error, duration_ms AS "durationMs" FROM webhook_attempt WHERE delivery_id = ANY($1::uuid[]) ORDER BY delivery_id, attempt`,
          [page.map((r) => r.id)],
        )
      : [];
    const last = page.at(-1);
    return {
      nodes: page.map(({ createdAtKey: _key, ...r }) => ({
        ...r,
        id: toGlobalId('WebhookDelivery', r.id),
        status: r.status as WebhookDeliveryStatus,
        attempts: attempts.filter((a) => a.deliveryId === r.id).map(({ deliveryId: _d, ...a }) => a),
      })),
      pageInfo: { hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last.createdAtKey, last.id) : null },
    };
  }

  @Mutation(() => RegisterWebhookPayload, { description: 'Registers an endpoint (ADMIN only); the answer carries its signing secret, shown this once' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, InputValidationAsUserErrors)
  async registerWebhook(@Arg('input', () => RegisterWebhookInput) input: RegisterWebhookInput, @Ctx() ctx: Context): Promise<RegisterWebhookPayload> {
    const eventTypes = [...new Set(input.eventTypes)];
    const problems = endpointProblems(input.url, eventTypes);
    if (problems.length) return { webhook: null, secret: null, userErrors: problems };
    const secret = newWebhookSecret();
    const webhook = await ctx.dataSource.transaction(async (manager) => {
      const [{ id }] = await manager.query(`INSERT INTO webhook_endpoint (url, event_types, description, created_by) VALUES ($1, $2, $3, $4) RETURNING id`, [
        input.url,
        eventTypes,
        input.description ?? null,
        ctx.caller.userId,
      ]);
      await manager.query(`INSERT INTO webhook_secret (endpoint_id, secret) VALUES ($1, $2)`, [id, secret]);
      return (await loadEndpoints(manager, id))[0];
    });
    ctx.log.info({ webhookId: webhook.id, url: webhook.url, eventTypes }, 'webhook registered');
    return { webhook, secret, userErrors: [] };
  }

  @Mutation(() => RotateWebhookSecretPayload, { description: 'A new signing secret (ADMIN only), shown this once; the old one keeps signing for overlapSeconds' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, InputValidationAsUserErrors)
  async rotateWebhookSecret(@Arg('input', () => RotateWebhookSecretInput) input: RotateWebhookSecretInput, @Ctx() ctx: Context): Promise<RotateWebhookSecretPayload> {
    const id = idOf(input.id, TYPE);
    if (!id) return { webhook: null, secret: null, userErrors: [notFound()] };
    const secret = newWebhookSecret();
    const overlap = input.overlapSeconds ?? 0;
    const webhook = await ctx.dataSource.transaction(async (manager) => {
      const locked: unknown[] = await manager.query(`SELECT id FROM webhook_endpoint WHERE id = $1 FOR UPDATE`, [id]);
      if (!locked.length) return null;
      // only the secret being replaced may overlap the new one: an older one stops signing now
      await manager.query(`DELETE FROM webhook_secret WHERE endpoint_id = $1 AND expires_at IS NOT NULL`, [id]);
      if (overlap > 0) await manager.query(`UPDATE webhook_secret SET expires_at = now() + make_interval(secs => $2) WHERE endpoint_id = $1 AND expires_at IS NULL`, [id, overlap]);
      else await manager.query(`DELETE FROM webhook_secret WHERE endpoint_id = $1`, [id]);
      await manager.query(`INSERT INTO webhook_secret (endpoint_id, secret) VALUES ($1, $2)`, [id, secret]);
      await manager.query(`UPDATE webhook_endpoint SET secret_rotated_at = now(), updated_at = now() WHERE id = $1`, [id]);
      return (await loadEndpoints(manager, id))[0];
    });
    if (!webhook) return { webhook: null, secret: null, userErrors: [notFound()] };
    ctx.log.info({ webhookId: webhook.id, overlapSeconds: overlap }, 'webhook secret rotated');
    return { webhook, secret, userErrors: [] };
  }

  @Mutation(() => WebhookPayload, { description: 'Stops sending to an endpoint (ADMIN only): no new deliveries; queued ones fail unsent' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, InputValidationAsUserErrors)
  disableWebhook(@Arg('input', () => WebhookIdInput) input: WebhookIdInput, @Ctx() ctx: Context): Promise<WebhookPayload> {
    return this.setEnabled(input.id, false, ctx);
  }

  @Mutation(() => WebhookPayload, { description: 'Resumes sending to an endpoint (ADMIN only): events committed from now on' })
  @UseMiddleware(IdempotencyRefusal, AdminOnly, InputValidationAsUserErrors)
  enableWebhook(@Arg('input', () => WebhookIdInput) input: WebhookIdInput, @Ctx() ctx: Context): Promise<WebhookPayload> {
    return this.setEnabled(input.id, true, ctx);
  }

  private async setEnabled(globalId: string, enabled: boolean, ctx: Context): Promise<WebhookPayload> {
    const id = idOf(globalId, TYPE);
    const updated = id ? await changedRows(ctx.dataSource, `UPDATE webhook_endpoint SET enabled = $2, updated_at = now() WHERE id = $1 RETURNING id`, [id, enabled]) : [];
    if (!id || !updated.length) return { webhook: null, userErrors: [notFound()] };
    ctx.effects.committed = true;
    ctx.log.info({ webhookId: globalId, enabled }, 'webhook enabled or disabled');
    return { webhook: (await loadEndpoints(ctx.dataSource, id))[0], userErrors: [] };
  }
}
