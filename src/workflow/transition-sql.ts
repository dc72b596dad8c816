/**
 * The lean transition: the SQL of one event on one document, two statements between BEGIN and COMMIT.
 *
 *   lock   SELECT <every column of the entity>, chain head
 *            FROM (SELECT … FROM <table> d WHERE d.id = $1 AND <the caller's acting scope> FOR UPDATE OF d) l
 *            LEFT JOIN LATERAL audit_chain_head(l.id) h ON TRUE
 *          — the row, locked within the caller's scope, and the last seq/hash of its audit chain, read after the
 *          lock was granted (audit_chain_head is a VOLATILE function: a fresh snapshot; see the AuditChainHead
 *          migration for why a plain join would not do)
 *   write  WITH doc AS (UPDATE <table> SET <the changed columns> WHERE id = …),
 *               ev AS (INSERT INTO audit_event … RETURNING id),
 *               ob AS (INSERT INTO outbox_event … (SELECT id FROM ev) … RETURNING id)
 *               [, idem AS (UPDATE idempotency_record SET applied_at = now() …)]
 *          SELECT ev.id FROM ev, ob
 *          — the state change, the hash-chained audit event (sealed in Node from the head the lock read), the outbox
 *          row (relayed after commit: src/jobs/outbox-relay.ts), and the Idempotency-Key's applied mark, in one statement
 *
 * Both are generated from the entity's metadata (no SQL is written per document type) and sent as named
 * (prepared) statements on the transaction's own connection: PostgreSQL parses and plans each shape once per
 * connection. Rows are read and written without TypeORM's query builder or entity hydration (its save() would
 * first SELECT the row this transaction already holds); values go through the driver's own conversions
 * (prepareHydratedValue / preparePersistentValue: column types and transformers), so a document loaded here is
 * the same object a repository would give.
 */
import { createHash } from 'node:crypto';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { commitWith } from '../db/pipelined-transaction';
import type { ChainHead } from './audit';
import { binder, markAppliedSql, outboxInsertSql, type OutboxEntry } from './outbox';
import type { Scope } from './scope';
import { AuditEvent } from './workflow.entities';

/** the column aliases of the chain head in the lock statement (no entity column is named so) */
const HEAD_SEQ = '$head_seq';
const HEAD_HASH = '$head_hash';

/** One column to write: the entity's property as it now is. */
export interface ColumnChange {
  column: ColumnMetadata;
  value: unknown;
}

export interface Locked<D> {
  doc: D;
  head: ChainHead | null;
}

export class TransitionSql<D extends { id: string }> {
  private readonly columns: ColumnMetadata[];
  private readonly table: string;
  private readonly select: string;
  private readonly auditColumns: ColumnMetadata[];

  constructor(
    private readonly dataSource: DataSource,
    private readonly entity: new () => D,
  ) {
    const metadata = dataSource.getMetadata(entity);
    this.table = metadata.tableName;
    this.columns = metadata.columns.filter((c) => !c.isVirtual);
    this.select = this.columns.map((c) => `d."${c.databaseName}" AS "${c.databaseName}"`).join(', ');
    this.auditColumns = dataSource.getMetadata(AuditEvent).columns.filter((c) => !c.isGenerated && !c.isVirtual);
  }

  /** The document, row-locked, when it exists within `scope` (null: no scope, the system's events), with its chain head. */
  async lock(manager: EntityManager, id: string, scope: Scope | null): Promise<Locked<D> | null> {
    const where = scope && scope.sql !== 'TRUE' ? ` AND (${scope.sql.replace(/\{doc\}/g, 'd')})` : '';
    const [text, values] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT l.*, h.seq AS "${HEAD_SEQ}", h.hash AS "${HEAD_HASH}"
         FROM (SELECT ${this.select} FROM "${this.table}" d WHERE d.id = :__id${where} FOR UPDATE OF d) l
         LEFT JOIN LATERAL audit_chain_head(l.id) h ON TRUE`,
      { ...(scope?.params ?? {}), __id: id },
    );
    const [row] = await run(manager, text, values);
    if (!row) return null;
    const doc = new this.entity() as D & Record<string, unknown>;
    for (const c of this.columns) doc[c.propertyName as keyof D & string] = this.dataSource.driver.prepareHydratedValue(row[c.databaseName], c) as never;
    return { doc, head: row[HEAD_SEQ] == null ? null : { seq: Number(row[HEAD_SEQ]), hash: row[HEAD_HASH] } };
  }

  /**
   * Writes the changed columns, appends the sealed audit event, inserts its outbox row, and
   * marks the caller's Idempotency-Key applied: one statement. Answers the stored audit event. `last`: nothing follows
   * it in the transaction, which commits with it in the same round trip (src/db/pipelined-transaction.ts).
   */
  async write(manager: EntityManager, id: string, changes: ColumnChange[], event: Omit<AuditEvent, 'id'>, idempotency: { callerId: string; key: string } | null, last = false): Promise<AuditEvent> {
    const { bind, values } = binder();
    const driver = this.dataSource.driver;
    const set = changes.map(({ column, value }) => `"${column.databaseName}" = ${bind(driver.preparePersistentValue(value, column))}`).join(', ');
    const auditValues = this.auditColumns.map((c) => bind(driver.preparePersistentValue((event as Record<string, unknown>)[c.propertyName] ?? null, c)));
    const outbox: Omit<OutboxEntry, 'id'> = event;
    const text = [
      `WITH doc AS (UPDATE "${this.table}" SET ${set} WHERE id = ${bind(id)})`,
      `, ev AS (INSERT INTO audit_event (${this.auditColumns.map((c) => `"${c.databaseName}"`).join(', ')}) VALUES (${auditValues.join(', ')}) RETURNING id)`,
      `, ob AS (${outboxInsertSql(bind, '(SELECT id FROM ev)', outbox)})`,
      idempotency ? `, idem AS (${markAppliedSql(bind, idempotency.callerId, idempotency.key)})` : '',
      ` SELECT ev.id::text AS id FROM ev, ob`,
    ].join('');
    const [row] = await run(manager, text, values, last);
    return Object.assign(new AuditEvent(), event, { id: row.id });
  }
}

/** Named statements: one name per distinct text, so a connection prepares each shape once. */
const names = new Map<string, string>();
function nameOf(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `sdd_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    names.set(text, name);
  }
  return name;
}

/**
 * Runs a named statement on the transaction's connection (`last`: and commits with it, when the transaction is a
 * pipelined one); failures surface as TypeORM's (the engine's retry reads their code).
 */
async function run(manager: EntityManager, text: string, values: unknown[], last = false): Promise<Array<Record<string, any>>> {
  const runner = manager.queryRunner;
  if (!runner) throw new Error('a transition runs inside a transaction');
  const client = (await runner.connect()) as { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Array<Record<string, any>> }> };
  const statement = { name: nameOf(text), text, values };
  try {
    return (last && (await commitWith(manager, statement))) || (await client.query(statement)).rows;
  } catch (error) {
    throw new QueryFailedError(text, values, error as Error);
  }
}
