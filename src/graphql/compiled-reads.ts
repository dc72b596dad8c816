/**
 * Compiled reads (issue 12): a document by id, `node(id)` and every document list, with their nested documents
 * and organisation objects, answered by ONE SQL statement per root field whose JSON PostgreSQL assembles
 * (`json_build_object`, `json_agg` over correlated subqueries — lateral joins in the plan).
 *
 * Nothing is declared twice. Columns come from each type's TypeORM metadata and its type-graphql fields; the
 * read scope of every level is `readScope` (src/workflow/grants.ts, from the type's read policy); staff-only
 * fields are the policy's `staffOnlyFields` (NULL in SQL for portal users — the schema's mask still applies on
 * top); nested documents are the lines of src/documents/relations.ts; a list's scope, filters, overdue flag and
 * order are its own resolver's query (listDocuments hands it over through `listCapture`, as for an export),
 * paged with the same keyset (connection.ts). A root field whose selection holds anything else — computed
 * fields (availableEvents, history, deadlines, retentionUntil, legalHolds, flagged, …), fields with arguments,
 * unknown directives — or whose caller holds access grants (each read through a grant is logged) runs through
 * today's resolvers, whole. Field resolvers of nested objects pass pre-assembled values through.
 */
import { createHash } from 'node:crypto';
import {
  getNamedType,
  getNullableType,
  GraphQLEnumType,
  GraphQLObjectType,
  GraphQLScalarType,
  isAbstractType,
  isListType,
  Kind,
  type FieldNode,
  type GraphQLFieldResolver,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage, type ClassType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isPortalUser, type Caller } from '../auth/roles';
import { documentModules } from '../documents';
import { documentRelations } from '../documents/relations';
import { Customer, Department, User } from '../organisation/organisation.entities';
import { CustomerType, DepartmentType, UserType } from '../organisation/organisation.types';
import { numericTransformer } from '../vocabulary';
import type { DocumentDefinition } from '../workflow/definition';
import { readScope } from '../workflow/grants';
import { encodeCursor, keysetPage, type Page, type SortKey } from './connection';
import type { Context } from './context';
import type { CapturedList } from './document-list';
import { fromGlobalId, idOf, toGlobalId } from './global-id';
import type { Relation } from './relations';

/** set on every compiled object: its field resolvers pass the pre-assembled values through */
export const COMPILED = '__compiled';

/** how many root fields each path answered (tests check the compiled path was really taken) */
export const compiledReadStats = { compiled: 0, resolvers: 0 };

/** to_char's pattern for Date.prototype.toISOString's form: 2026-12-02T07:30:19.147Z */
const ISO_INSTANT = 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"';

interface ObjectInfo {
  name: string;
  table: string;
  /** GraphQL field → its SQL (given the row's alias), for fields that are a column as it is */
  columns: Map<string, (alias: string) => string>;
  /** organisation objects named by a key column: `assignee` by assignee_id, `helpers` by helper_ids */
  refs: Map<string, { to: string; column: string; many: boolean }>;
  relations: Map<string, { relation: Relation; column: string }>;
  def?: DocumentDefinition<any, any>;
  staffOnly: Set<string>;
}

interface Model {
  objects: Map<string, ObjectInfo>;
  documents: Map<string, ObjectInfo>;
}

const ORGANISATION: Array<{ entity: Function; objectType: ClassType }> = [
  { entity: Customer, objectType: CustomerType },
  { entity: Department, objectType: DepartmentType },
  { entity: User, objectType: UserType },
];

const q = (identifier: string) => `"${identifier.replace(/"/g, '""')}"`;

/** type-graphql's own record of a class's fields (own and inherited), and of the fields a resolver computes */
function fieldsOf(objectType: ClassType): { plain: Set<string>; resolved: Set<string> } {
  const storage = getMetadataStorage();
  const chain: Function[] = [];
  for (let c: Function | null = objectType; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
  const plain = new Set(storage.fields.filter((f) => chain.includes(f.target) && f.name === f.schemaName && f.params?.length === 0).map((f) => f.name));
  const resolved = new Set(storage.fieldResolvers.filter((r) => chain.includes(r.getObjectType?.() as Function)).map((r) => r.schemaName));
  for (const name of resolved) plain.delete(name);
  return { plain, resolved };
}

/** a column whose value JSON carries exactly as the entity holds it (and GraphQL serialises the same way) */
function plainColumn(column: ColumnMetadata, graphqlType: string, leaf: boolean): boolean {
  if (column.transformer && column.transformer !== numericTransformer) return false;
  const type = String(column.type);
  if (type === 'timestamptz') return graphqlType === 'DateTimeISO';
  if (type.startsWith('timestamp') || type === 'time') return false;
  if (type === 'jsonb' || type === 'json') return true;
  return leaf;
}

function buildModel(schema: GraphQLSchema, dataSource: DataSource): Model {
  const objects = new Map<string, ObjectInfo>();
  const documents = new Map<string, ObjectInfo>();
  const all = [...documentModules.map((m) => ({ entity: m.def.entity as Function, objectType: m.objectType, def: m.def as DocumentDefinition<any, any> | undefined })), ...ORGANISATION.map((o) => ({ ...o, def: undefined }))];
  const organisation = new Set(ORGANISATION.map((o) => findObjectType(schema, o.objectType)?.name));
  const built: Array<{ info: ObjectInfo; type: GraphQLObjectType; metadata: ReturnType<DataSource['getMetadata']> }> = [];
  for (const { entity, objectType, def } of all) {
    const metadata = dataSource.getMetadata(entity);
    const type = findObjectType(schema, objectType);
    if (!type) continue;
    const { plain } = fieldsOf(objectType);
    const info: ObjectInfo = { name: type.name, table: metadata.tablePath.split('.').map(q).join('.'), columns: new Map(), refs: new Map(), relations: new Map(), def, staffOnly: new Set(def?.policy.staffOnlyFields ?? []) };
    for (const field of Object.values(type.getFields())) {
      if (field.args.length) continue;
      const named = getNamedType(field.type);
      const leaf = named instanceof GraphQLScalarType || named instanceof GraphQLEnumType;
      const column = metadata.findColumnWithPropertyName(field.name);
      if (plain.has(field.name) && column && plainColumn(column, named.name, leaf)) {
        const name = q(column.databaseName);
        // an instant as DateTimeISO serialises it (toISOString: UTC, milliseconds): the scalar then passes it through
        info.columns.set(field.name, String(column.type) === 'timestamptz' ? (a) => `to_char(${a}.${name} AT TIME ZONE 'UTC', '${ISO_INSTANT}')` : (a) => `${a}.${name}`);
      }
      // organisation objects by key column (`assignee` → assigneeId, `helpers` → helperIds), as every such resolver loads them
      if (organisation.has(named.name) && !field.args.length) {
        const many = isListType(getNullableType(field.type));
        const key = metadata.findColumnWithPropertyName(many ? `${field.name.replace(/s$/, '')}Ids` : `${field.name}Id`);
        if (key && key.isArray === many) info.refs.set(field.name, { to: named.name, column: q(key.databaseName), many });
      }
    }
    objects.set(info.name, info);
    if (def) documents.set(def.type, info);
    built.push({ info, type, metadata });
  }
  for (const relation of documentRelations) {
    const from = built.find((b) => b.info.def?.type === relation.from);
    if (!from) continue;
    if (relation.kind === 'children') {
      from.info.relations.set(relation.field, { relation, column: q(relation.column) });
      continue;
    }
    const key = from.metadata.findColumnWithPropertyName(relation.key);
    if (key) from.info.relations.set(relation.field, { relation, column: q(key.databaseName) });
  }
  return { objects, documents };
}

function findObjectType(schema: GraphQLSchema, objectType: ClassType): GraphQLObjectType | undefined {
  const meta = getMetadataStorage().objectTypes.find((o) => o.target === objectType);
  const type = meta && schema.getType(meta.name);
  return type instanceof GraphQLObjectType ? type : undefined;
}

/** Named parameters of one statement, turned positional at the end. */
class Params {
  readonly values = new Map<string, unknown>();
  add(params: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(params)) this.values.set(k, v);
  }
  bind(name: string, value: unknown): string {
    this.values.set(name, value);
    return `:${name}`;
  }
}

/** `:name` → `$n`, numbered after `offset` positional parameters already in the statement; the names in order */
function positional(sql: string, params: Params, offset: number): { sql: string; names: string[] } {
  const order = new Map<string, number>();
  const names: string[] = [];
  const text = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (whole, name: string) => {
    if (!params.values.has(name)) return whole;
    let n = order.get(name);
    if (n === undefined) {
      names.push(name);
      n = offset + names.length;
      order.set(name, n);
    }
    return `$${n}`;
  });
  return { sql: text, names };
}

const shift = (sql: string, by: number) => (by === 0 ? sql : sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + by}`));

class Unknown extends Error {}

/** The fields a selection set asks of `type`, merged by field name (fragments and @include/@skip applied). */
function collect(info: GraphQLResolveInfo, selectionSets: readonly SelectionSetNode[], type: GraphQLObjectType, flags: { dynamic: boolean }, into = new Map<string, FieldNode[]>()): Map<string, FieldNode[]> {
  const included = (node: { directives?: readonly import('graphql').DirectiveNode[] }): boolean => {
    for (const d of node.directives ?? []) {
      if (d.name.value !== 'include' && d.name.value !== 'skip') throw new Unknown();
      const arg = d.arguments?.find((a) => a.name.value === 'if')?.value;
      if (arg?.kind === Kind.VARIABLE) flags.dynamic = true;
      const value = arg?.kind === Kind.BOOLEAN ? arg.value : arg?.kind === Kind.VARIABLE ? info.variableValues[arg.name.value] : undefined;
      if (typeof value !== 'boolean') throw new Unknown();
      if ((d.name.value === 'include') !== value) return false;
    }
    return true;
  };
  const applies = (condition: string | undefined) => {
    if (!condition || condition === type.name) return true;
    const on = info.schema.getType(condition);
    return !!on && isAbstractType(on) && info.schema.isSubType(on, type);
  };
  for (const set of selectionSets) {
    for (const s of set.selections) {
      if (!included(s)) continue;
      if (s.kind === Kind.FIELD) {
        if (s.name.value === '__typename') continue;
        if (s.arguments?.length || s.name.value.startsWith('__')) throw new Unknown();
        into.set(s.name.value, [...(into.get(s.name.value) ?? []), s]);
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        if (applies(s.typeCondition?.name.value)) collect(info, [s.selectionSet], type, flags, into);
      } else {
        const fragment = info.fragments[s.name.value];
        if (!fragment) throw new Unknown();
        if (applies(fragment.typeCondition.name.value)) collect(info, [fragment.selectionSet], type, flags, into);
      }
    }
  }
  return into;
}

const subSelections = (nodes: FieldNode[]): SelectionSetNode[] => nodes.flatMap((n) => (n.selectionSet ? [n.selectionSet] : []));

/** Builds the SQL of one root field: the JSON of objects, every nested level inside the same statement. */
class Compiler {
  private aliases = 0;
  readonly params = new Params();
  /** set when an @include/@skip reads a variable: the statement then depends on the variables, and is not kept */
  readonly flags = { dynamic: false };
  private readonly portal: boolean;

  constructor(
    private readonly model: Model,
    private readonly info: GraphQLResolveInfo,
    private readonly caller: Caller,
  ) {
    this.portal = isPortalUser(caller);
  }

  alias(): string {
    return `c${++this.aliases}`;
  }

  /** the caller's read scope of a document type, on `alias` */
  scope(def: DocumentDefinition<any, any>, alias: string): string {
    const scope = readScope(def, this.caller);
    this.params.add(scope.params);
    return scope.sql.replace(/\{doc\}/g, alias);
  }

  /** json_build_object of the selected fields of `type` on the row aliased `alias` */
  object(type: ObjectInfo, alias: string, selectionSets: readonly SelectionSetNode[]): string {
    const graphqlType = this.info.schema.getType(type.name) as GraphQLObjectType;
    const fields = collect(this.info, selectionSets, graphqlType, this.flags);
    const pairs: string[] = [`'${COMPILED}', true`, `'__typename', '${type.name}'`];
    for (const [name, nodes] of fields) {
      const masked = this.portal && type.staffOnly.has(name);
      if (name === 'id') pairs.push(`'id', ${alias}.id`);
      else if (type.columns.has(name)) pairs.push(`'${name}', ${masked ? 'NULL' : type.columns.get(name)!(alias)}`);
      else if (type.refs.has(name)) {
        const ref = type.refs.get(name)!;
        const target = this.model.objects.get(ref.to)!;
        const o = this.alias();
        const inner = this.object(target, o, subSelections(nodes));
        pairs.push(
          `'${name}', ${
            masked
              ? 'NULL'
              : ref.many
                ? `COALESCE((SELECT json_agg(${inner} ORDER BY ${o}_u.n) FROM unnest(${alias}.${ref.column}) WITH ORDINALITY ${o}_u(id, n) JOIN ${target.table} ${o} ON ${o}.id = ${o}_u.id), CAST('[]' AS json))`
                : `(SELECT ${inner} FROM ${target.table} ${o} WHERE ${o}.id = ${alias}.${ref.column})`
          }`,
        );
      } else if (type.relations.has(name)) {
        const { relation, column } = type.relations.get(name)!;
        const target = this.model.documents.get(relation.to)!;
        const o = this.alias();
        const inner = this.object(target, o, subSelections(nodes));
        const scope = this.scope(target.def!, o);
        pairs.push(
          `'${name}', ${
            masked
              ? 'NULL'
              : relation.kind === 'parent'
                ? `(SELECT ${inner} FROM ${target.table} ${o} WHERE ${o}.id = ${alias}.${column} AND (${scope}))`
                : `COALESCE((SELECT json_agg(${inner} ORDER BY ${o}.created_at, ${o}.id) FROM ${target.table} ${o} WHERE ${o}.${column} = ${alias}.id AND (${scope})), CAST('[]' AS json))`
          }`,
        );
      } else throw new Unknown();
    }
    // json_build_object takes at most 100 arguments
    if (pairs.length <= 50) return `json_build_object(${pairs.join(', ')})`;
    const chunks: string[] = [];
    for (let i = 0; i < pairs.length; i += 50) chunks.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(', ')})`);
    return `CAST(${chunks.join(' || ')} AS json)`;
  }
}

/** Runs one compiled statement: logged like TypeORM's (statement counts), prepared by name when its text repeats. */
const preparedNames = new Set<string>();
const MAX_PREPARED = 2_000;
async function run(dataSource: DataSource, sql: string, values: unknown[]): Promise<any> {
  dataSource.logger.logQuery(sql, values);
  let name: string | undefined = `cr_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
  if (!preparedNames.has(name)) {
    if (preparedNames.size >= MAX_PREPARED) name = undefined;
    else preparedNames.add(name);
  }
  const pool = (dataSource.driver as unknown as { master: { query(config: object): Promise<{ rows: Array<{ j: unknown }> }> } }).master;
  const result = await pool.query({ name, text: sql, values });
  return result.rows[0]?.j ?? null;
}

/** a document by uuid, or null when missing or outside the caller's scope */
/**
 * A root field's statement as far as it depends on the query and the kind of caller, kept per field of a parsed
 * query (Apollo keeps parsed queries) and caller shape: the text with the nested levels' parameters as $1..$k.
 */
interface Plan {
  sql: string;
  names: string[];
  withCount: boolean;
}
const plans = new WeakMap<FieldNode, Map<string, Plan | null>>();

/** what the text of every read scope depends on (grants excluded: their holders are not compiled) */
const shapeOf = (caller: Caller) => `${caller.roles.join(',')}|${caller.departmentId ? 1 : 0}|${caller.customerId ? 1 : 0}`;

function planFor(model: Model, ctx: Context, info: GraphQLResolveInfo, type: ObjectInfo, kind: 'document' | 'page'): Plan | null {
  const field = info.fieldNodes[0];
  const key = `${kind}|${type.name}|${shapeOf(ctx.caller)}`;
  let byKey = plans.get(field);
  if (byKey?.has(key)) return byKey.get(key)!;
  const c = new Compiler(model, info, ctx.caller);
  let plan: Plan | null;
  try {
    plan = kind === 'document' ? documentPlan(c, info, type) : pagePlan(c, info, type);
  } catch (error) {
    if (!(error instanceof Unknown)) throw error;
    plan = null;
  }
  if (!c.flags.dynamic) {
    if (!byKey) plans.set(field, (byKey = new Map()));
    byKey.set(key, plan);
  }
  return plan;
}

function documentPlan(c: Compiler, info: GraphQLResolveInfo, type: ObjectInfo): Plan {
  const object = c.object(type, 'd', subSelections(info.fieldNodes as FieldNode[]));
  c.params.bind('doc_id', null);
  const { sql, names } = positional(`SELECT ${object} AS j FROM ${type.table} d WHERE d.id = :doc_id AND (${c.scope(type.def!, 'd')})`, c.params, 0);
  return { sql, names, withCount: false };
}

function pagePlan(c: Compiler, info: GraphQLResolveInfo, type: ObjectInfo): Plan {
  const connection = getNamedType(info.returnType) as GraphQLObjectType;
  const top = collect(info, subSelections(info.fieldNodes as FieldNode[]), connection, c.flags);
  const nodeSets: SelectionSetNode[] = [...subSelections(top.get('nodes') ?? [])];
  let withCount = false;
  for (const [name, nodes] of top) {
    if (name === 'nodes') continue;
    if (name === 'totalCount') withCount = true;
    else if (name === 'pageInfo') continue;
    else if (name === 'edges') {
      const edge = getNamedType(connection.getFields().edges.type) as GraphQLObjectType;
      for (const [f, n] of collect(info, subSelections(nodes), edge, c.flags)) {
        if (f === 'node') nodeSets.push(...subSelections(n));
        else if (f !== 'cursor') throw new Unknown();
      }
    } else throw new Unknown();
  }
  const pageInfoType = getNamedType(connection.getFields().pageInfo.type) as GraphQLObjectType;
  for (const f of collect(info, subSelections(top.get('pageInfo') ?? []), pageInfoType, c.flags).keys()) if (f !== 'hasNextPage' && f !== 'endCursor') throw new Unknown();
  const { sql, names } = positional(c.object(type, 'd', nodeSets), c.params, 0);
  return { sql, names, withCount };
}

/** the values of a plan's parameters for this caller: the read scopes' (named by type) and the document's id */
/**
 * Every document type's read-scope parameters for a caller. A caller is one object for as long as its token is
 * cached (src/auth/tokens.ts), and replaced — never mutated — when it changes: computed once per caller, not once per
 * request for every type.
 */
const scopeParamsByCaller = new WeakMap<Caller, Record<string, unknown>>();
function scopeParams(model: Model, caller: Caller): Record<string, unknown> {
  let params = scopeParamsByCaller.get(caller);
  if (!params) {
    params = {};
    for (const type of model.documents.values()) Object.assign(params, readScope(type.def!, caller).params);
    scopeParamsByCaller.set(caller, params);
  }
  return params;
}

function planValues(model: Model, plan: Plan, caller: Caller, docId?: string): unknown[] {
  if (plan.names.length === 0) return [];
  const params = scopeParams(model, caller);
  return plan.names.map((n) => (n === 'doc_id' ? docId : params[n]));
}

/** a document by uuid, or null when missing or outside the caller's scope */
async function compiledDocument(model: Model, ctx: Context, plan: Plan, uuid: string): Promise<unknown> {
  return run(ctx.dataSource, plan.sql, planValues(model, plan, ctx.caller, uuid));
}

/** a page of a list: the resolver's own query (scope, filters, order), the keyset page, nested levels and the count in one statement */
async function compiledPage(model: Model, ctx: Context, plan: Plan, type: ObjectInfo, list: CapturedList): Promise<Page<unknown>> {
  const first = list.first ?? ctx.config.defaultPageSize;
  const countQb = plan.withCount ? list.qb.clone().select('COUNT(1)', 'cnt') : null;
  const [pageSql, pageValues] = keysetPage(list.qb.clone(), list.order, first, list.after).select('d.id', 'id').getQueryAndParameters();
  const [countSql, countValues] = countQb ? countQb.getQueryAndParameters() : ['', []];
  const k = plan.names.length;
  const keys = list.order as SortKey<unknown>[];
  const order = keys.map((key) => `${key.sql} ${key.direction}`).join(', ');
  const sql =
    `SELECT json_build_object('nodes', COALESCE((SELECT json_agg(json_build_array(${plan.sql}, json_build_array(${keys.map((key) => key.sql).join(', ')})) ORDER BY ${order}) ` +
    `FROM (${shift(pageSql, k)}) p JOIN ${type.table} d ON d.id = p.id), CAST('[]' AS json))` +
    (countQb ? `, 'count', (${shift(countSql, k + pageValues.length)})` : '') +
    ') AS j';
  const result = (await run(ctx.dataSource, sql, [...planValues(model, plan, ctx.caller), ...pageValues, ...countValues])) as { nodes: Array<[Record<string, unknown>, unknown[]]>; count?: number };
  const rows = result.nodes;
  const page = rows.slice(0, first);
  const cursor = (values: unknown[]) => encodeCursor(keys.map((key, i) => (key.kind === 'timestamp' ? new Date(values[i] as string).toISOString() : (values[i] as string | number))));
  // cursors are encoded only when asked for (edges { cursor }, pageInfo { endCursor }): a list of nodes needs none
  const edges = page.map(([node, values]) => ({ node, get cursor() { return cursor(values); } }));
  const last = page.at(-1);
  return {
    edges,
    nodes: page.map(([node]) => node),
    pageInfo: { hasNextPage: rows.length > first, get endCursor() { return last ? cursor(last[1]) : null; } },
    countTotal: () => Promise.resolve(Number(result.count ?? 0)),
  };
}

/**
 * Hooks compiled reads into the built schema: each document type's `<type>(id)`, `node(id)`, every root list
 * of documents; and the nested fields they pre-assemble (organisation objects, related documents) pass through.
 */
export function installCompiledReads(schema: GraphQLSchema): void {
  let model: Model | null = null;
  const modelOf = (ctx: Context) => (model ??= buildModel(schema, ctx.dataSource));
  const documentTypes = new Set(documentModules.map((m) => m.def.type));
  const enabled = (ctx: Context) => (ctx.compiledReads ?? ctx.config.compiledReads.enabled) && !ctx.listCapture && !ctx.caller.holdsGrants;

  const root = schema.getQueryType()!;
  for (const field of Object.values(root.getFields())) {
    const original = field.resolve as GraphQLFieldResolver<unknown, Context>;
    const named = getNamedType(field.type);
    const byId = documentTypes.has(named.name) && field.args.length === 1 && field.args[0].name === 'id';
    const node = field.name === 'node' && named.name === 'Node';
    const nodesField = named instanceof GraphQLObjectType && named.name.endsWith('Connection') ? named.getFields().nodes : undefined;
    const list = !!nodesField && documentTypes.has(getNamedType(nodesField.type).name);
    if (!byId && !node && !list) continue;
    field.resolve = async (source, args: Record<string, any>, ctx: Context, info) => {
      if (!enabled(ctx)) return original(source, args, ctx, info);
      try {
        const m = modelOf(ctx);
        if (byId || node) {
          const parsed = node ? fromGlobalId(args.id) : null;
          const type = m.documents.get(node ? (parsed?.type ?? '') : named.name);
          if (!type) return await original(source, args, ctx, info); // not a document (or not an id at all): as today
          const uuid = node ? parsed!.id : idOf(args.id, type.name);
          if (!uuid) return null;
          const plan = planFor(m, ctx, info, type, 'document');
          if (!plan) throw new Unknown();
          const answer = await compiledDocument(m, ctx, plan, uuid);
          compiledReadStats.compiled++;
          return answer;
        }
        const type = m.documents.get(getNamedType(nodesField!.type).name)!;
        const plan = planFor(m, ctx, info, type, 'page');
        if (!plan) throw new Unknown();
        let captured: CapturedList | undefined;
        const listed = await original(source, args, { ...ctx, listCapture: async (l: CapturedList) => ((captured = l), null) }, info);
        if (!captured) return listed; // a list that is not listDocuments': its own answer
        if (captured.def.type !== type.name) throw new Unknown();
        const page = await compiledPage(m, ctx, plan, type, captured);
        compiledReadStats.compiled++;
        return page;
      } catch (error) {
        if (!(error instanceof Unknown)) throw error;
        compiledReadStats.resolvers++;
        return original(source, args, ctx, info);
      }
    };
  }

  // the fields of a compiled object read what it already holds: nested objects are not loaded again, and plain
  // fields and ids skip type-graphql's per-field wrapper (fields with middlewares keep theirs)
  const storage = getMetadataStorage();
  const relationFields = new Set(documentRelations.map((r) => `${r.from}.${r.field}`));
  const compiledTypes = [...documentModules.map((m) => m.objectType), ...ORGANISATION.map((o) => o.objectType)];
  const organisation = new Set(ORGANISATION.map((o) => findObjectType(schema, o.objectType)?.name));
  for (const objectType of compiledTypes) {
    const type = findObjectType(schema, objectType);
    if (!type) continue;
    const chain: Function[] = [];
    for (let c: Function | null = objectType; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
    const { plain } = fieldsOf(objectType);
    const typeName = type.name;
    for (const field of Object.values(type.getFields())) {
      const resolve = field.resolve;
      if (!resolve) continue;
      const name = field.name;
      const middlewares = storage.middlewares.some((m) => chain.includes(m.target) && m.fieldName === name);
      if (name === 'id') {
        field.resolve = (source, args, ctx, info) => (source && (source as Record<string, unknown>)[COMPILED] === true ? toGlobalId(typeName, (source as { id: string }).id) : resolve(source, args, ctx, info));
      } else if (relationFields.has(`${typeName}.${name}`) || organisation.has(getNamedType(field.type).name) || (plain.has(name) && !middlewares)) {
        field.resolve = (source, args, ctx, info) => (source && (source as Record<string, unknown>)[COMPILED] === true ? (source as Record<string, unknown>)[name] : resolve(source, args, ctx, info));
      }
    }
  }
}
