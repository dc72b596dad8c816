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
import { createHash, randomUUID } from 'node:crypto';
import { HeaderMap, type ApolloServerPlugin, type GraphQLRequestContextResponseForOperation, type GraphQLResponse } from '@apollo/server';
import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getVariableValues,
  isNonNullType,
  GraphQLEnumType,
  GraphQLObjectType,
  GraphQLScalarType,
  isAbstractType,
  isLeafType,
  isListType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLFieldResolver,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage, type ClassType } from 'type-graphql';
import type { DataSource } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { isPortalUser, type Caller } from '../auth/roles';
import { StaffOnly } from './staff-only';
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

/**
 * how many root fields each path answered (tests check the compiled path was really taken): `compiled` on either
 * compiled path, `text` of them as the statement's JSON text (no objects, no graphql-js execution)
 */
export const compiledReadStats = { compiled: 0, resolvers: 0, text: 0 };

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
  /** fields whose SQL may be NULL: nullable columns and keys, a parent document outside the caller's scope */
  nullable: Set<string>;
  /** fields with a middleware of their own other than StaffOnly: graphql-js must run it (never answered as text) */
  guarded: Set<string>;
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
    const info: ObjectInfo = { name: type.name, table: metadata.tablePath.split('.').map(q).join('.'), columns: new Map(), refs: new Map(), relations: new Map(), def, staffOnly: new Set(def?.policy.staffOnlyFields ?? []), nullable: new Set(), guarded: new Set() };
    // a field's own middlewares: StaffOnly is the read policy's mask, written into the SQL as well; any other must run
    const chain: Function[] = [];
    for (let c: Function | null = objectType; c && c !== Function.prototype; c = Object.getPrototypeOf(c)) chain.push(c);
    for (const m of getMetadataStorage().middlewares.filter((m) => chain.includes(m.target))) {
      if (m.middlewares.every((fn) => fn === StaffOnly)) info.staffOnly.add(m.fieldName);
      else info.guarded.add(m.fieldName);
    }
    for (const field of Object.values(type.getFields())) {
      if (field.args.length) continue;
      const named = getNamedType(field.type);
      const leaf = named instanceof GraphQLScalarType || named instanceof GraphQLEnumType;
      const column = metadata.findColumnWithPropertyName(field.name);
      if (plain.has(field.name) && column && plainColumn(column, named.name, leaf)) {
        const name = q(column.databaseName);
        // an instant as DateTimeISO serialises it (toISOString: UTC, milliseconds): the scalar then passes it through
        info.columns.set(field.name, String(column.type) === 'timestamptz' ? (a) => `to_char(${a}.${name} AT TIME ZONE 'UTC', '${ISO_INSTANT}')` : (a) => `${a}.${name}`);
        if (column.isNullable) info.nullable.add(field.name);
      }
      // organisation objects by key column (`assignee` → assigneeId, `helpers` → helperIds), as every such resolver loads them
      if (organisation.has(named.name) && !field.args.length) {
        const many = isListType(getNullableType(field.type));
        const key = metadata.findColumnWithPropertyName(many ? `${field.name.replace(/s$/, '')}Ids` : `${field.name}Id`);
        if (key && key.isArray === many) info.refs.set(field.name, { to: named.name, column: q(key.databaseName), many });
        if (key && !many && key.isNullable) info.nullable.add(field.name);
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
    // a parent outside the caller's read scope reads as null
    from.info.nullable.add(relation.field);
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

/** the scalars whose JSON PostgreSQL writes as graphql-js would serialise the column's value (DateTimeISO: selected in its form) */
const EXACT_SCALARS = new Set(['ID', 'String', 'Int', 'Float', 'Boolean', 'DateTimeISO', 'JSON', 'JSONObject']);

/**
 * Whether graphql-js would serialise field `name` of `type` exactly as the statement writes it: not a null in a
 * non-null field (graphql-js would answer an error there), no enum whose values differ from their names, only the
 * scalars above.
 */
function exactlySerialised(type: GraphQLObjectType, name: string, masked: boolean, nullable: boolean): boolean {
  const field = type.getFields()[name];
  if (!field) return false;
  if ((masked || nullable) && isNonNullType(field.type)) return false;
  const named = getNamedType(field.type);
  if (named instanceof GraphQLEnumType) return named.getValues().every((v) => v.value === v.name);
  if (named instanceof GraphQLScalarType) return EXACT_SCALARS.has(named.name);
  return true;
}

/** toGlobalId in SQL: base64url of "Type:uuid" (PostgreSQL's base64 pads, and breaks lines after 76 characters) */
const globalIdSql = (typeName: string, id: string) => `translate(encode(convert_to('${typeName}:' || ${id}::text, 'UTF8'), 'base64'), '+/=' || chr(10), '-_')`;

/** The fields a selection set asks of `type`, merged by field name (fragments and @include/@skip applied). */
function collect(info: Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>, selectionSets: readonly SelectionSetNode[], type: GraphQLObjectType, flags: { dynamic: boolean; exact?: boolean; rootArguments?: boolean }, into = new Map<string, FieldNode[]>()): Map<string, FieldNode[]> {
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
        // exact answers key fields by response key (aliases), in the order graphql-js would, __typename included
        const key = flags.exact ? (s.alias?.value ?? s.name.value) : s.name.value;
        if (s.name.value === '__typename' && !flags.exact) continue;
        // arguments only on root fields (theirs are the resolver's); a nested field with arguments is computed
        if ((s.arguments?.length && !flags.rootArguments) || (s.name.value.startsWith('__') && s.name.value !== '__typename')) throw new Unknown();
        into.set(key, [...(into.get(key) ?? []), s]);
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
  /**
   * `dynamic`: set when an @include/@skip reads a variable: the statement then depends on the variables, and is not
   * kept. `exact`: the statement answers the selection's JSON exactly as graphql-js would serialise it (response
   * keys, their order, __typename only when asked, global ids; see exactAnswer) instead of objects for graphql-js
   */
  readonly flags: { dynamic: boolean; exact: boolean };
  private readonly portal: boolean;

  constructor(
    private readonly model: Model,
    private readonly info: Pick<GraphQLResolveInfo, 'schema' | 'fragments' | 'variableValues'>,
    private readonly caller: Caller,
    exact = false,
  ) {
    this.portal = isPortalUser(caller);
    this.flags = { dynamic: false, exact };
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
    const exact = this.flags.exact;
    const pairs: string[] = exact ? [] : [`'${COMPILED}', true`, `'__typename', '${type.name}'`];
    for (const [key, nodes] of fields) {
      const name = nodes[0].name.value;
      const masked = this.portal && type.staffOnly.has(name);
      if (exact) {
        // what graphql-js would answer differently (an error for a null in a non-null field, an enum's other name) is not answered here
        if (name === '__typename') {
          pairs.push(`'${key}', '${type.name}'`);
          continue;
        }
        if (type.guarded.has(name) || !exactlySerialised(graphqlType, name, masked, type.nullable.has(name))) throw new Unknown();
        // a JSON column read as objects (repairedFaults { faultCode }): graphql-js picks the selected keys, the column has them all
        if (type.columns.has(name) && !isLeafType(getNamedType(graphqlType.getFields()[name].type))) throw new Unknown();
      }
      if (name === 'id') pairs.push(exact ? `'${key}', ${globalIdSql(type.name, `${alias}.id`)}` : `'id', ${alias}.id`);
      else if (type.columns.has(name)) pairs.push(`'${key}', ${masked ? 'NULL' : type.columns.get(name)!(alias)}`);
      else if (type.refs.has(name)) {
        const ref = type.refs.get(name)!;
        const target = this.model.objects.get(ref.to)!;
        const o = this.alias();
        const inner = this.object(target, o, subSelections(nodes));
        pairs.push(
          `'${key}', ${
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
          `'${key}', ${
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
    // jsonb would reorder the keys
    if (exact) throw new Unknown();
    const chunks: string[] = [];
    for (let i = 0; i < pairs.length; i += 50) chunks.push(`jsonb_build_object(${pairs.slice(i, i + 50).join(', ')})`);
    return `CAST(${chunks.join(' || ')} AS json)`;
  }
}

/** Runs one compiled statement: logged like TypeORM's (statement counts), prepared by name when its text repeats. */
const preparedNames = new Set<string>();
const MAX_PREPARED = 2_000;
async function run(dataSource: DataSource, sql: string, values: unknown[]): Promise<any> {
  return (await runRow(dataSource, sql, values))?.j ?? null;
}
async function runRow(dataSource: DataSource, sql: string, values: unknown[]): Promise<Record<string, unknown> | null> {
  dataSource.logger.logQuery(sql, values);
  let name: string | undefined = `cr_${createHash('sha1').update(sql).digest('base64url').slice(0, 20)}`;
  if (!preparedNames.has(name)) {
    if (preparedNames.size >= MAX_PREPARED) name = undefined;
    else preparedNames.add(name);
  }
  const pool = (dataSource.driver as unknown as { master: { query(config: object): Promise<{ rows: Array<Record<string, unknown>> }> } }).master;
  const result = await pool.query({ name, text: sql, values });
  return result.rows[0] ?? null;
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
  /** exact plans of a list: the connection's fields in answer order (the nodes' JSON comes from `sql`) */
  shape?: ConnectionField[];
}

/** a field of a connection, edge or page info in an exact answer: its response key and what it is */
interface ConnectionField {
  key: string;
  kind: 'nodes' | 'edges' | 'pageInfo' | 'totalCount' | 'node' | 'cursor' | 'hasNextPage' | 'endCursor' | '__typename';
  /** the type name, for __typename */
  typeName?: string;
  sub?: ConnectionField[];
}
const plans = new WeakMap<FieldNode, Map<string, Plan | null>>();

/** what the text of every read scope depends on (grants excluded: their holders are not compiled) */
const shapeOf = (caller: Caller) => `${caller.roles.join(',')}|${caller.departmentId ? 1 : 0}|${caller.customerId ? 1 : 0}`;

function planFor(model: Model, ctx: Context, info: GraphQLResolveInfo, type: ObjectInfo, kind: 'document' | 'page', exact = false): Plan | null {
  const field = info.fieldNodes[0];
  const key = `${kind}|${exact ? 'text' : 'objects'}|${type.name}|${shapeOf(ctx.caller)}`;
  let byKey = plans.get(field);
  if (byKey?.has(key)) return byKey.get(key)!;
  const c = new Compiler(model, info, ctx.caller, exact);
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
  const answer = c.flags.exact ? `CAST(${object} AS text)` : object;
  const { sql, names } = positional(`SELECT ${answer} AS j FROM ${type.table} d WHERE d.id = :doc_id AND (${c.scope(type.def!, 'd')})`, c.params, 0);
  return { sql, names, withCount: false };
}

function pagePlan(c: Compiler, info: GraphQLResolveInfo, type: ObjectInfo): Plan {
  const connection = getNamedType(info.returnType) as GraphQLObjectType;
  const edge = getNamedType(connection.getFields().edges.type) as GraphQLObjectType;
  const pageInfoType = getNamedType(connection.getFields().pageInfo.type) as GraphQLObjectType;
  const top = collect(info, subSelections(info.fieldNodes as FieldNode[]), connection, c.flags);
  const nodeSets: SelectionSetNode[] = [];
  /** how many fields answer nodes (nodes, edges' node): an exact answer has one selection of them */
  let nodeFields = 0;
  let withCount = false;
  const shape: ConnectionField[] = [];
  for (const [key, nodes] of top) {
    const name = nodes[0].name.value;
    if (name === '__typename') shape.push({ key, kind: '__typename', typeName: connection.name });
    else if (name === 'nodes') {
      nodeSets.push(...subSelections(nodes));
      nodeFields++;
      shape.push({ key, kind: 'nodes' });
    } else if (name === 'totalCount') {
      withCount = true;
      shape.push({ key, kind: 'totalCount' });
    } else if (name === 'pageInfo') {
      const sub: ConnectionField[] = [];
      for (const [k, n] of collect(info, subSelections(nodes), pageInfoType, c.flags)) {
        const f = n[0].name.value;
        if (f !== 'hasNextPage' && f !== 'endCursor' && f !== '__typename') throw new Unknown();
        sub.push({ key: k, kind: f, typeName: pageInfoType.name });
      }
      shape.push({ key, kind: 'pageInfo', sub });
    } else if (name === 'edges') {
      const sub: ConnectionField[] = [];
      for (const [k, n] of collect(info, subSelections(nodes), edge, c.flags)) {
        const f = n[0].name.value;
        if (f === 'node') {
          nodeSets.push(...subSelections(n));
          nodeFields++;
        } else if (f !== 'cursor' && f !== '__typename') throw new Unknown();
        sub.push({ key: k, kind: f as ConnectionField['kind'], typeName: edge.name });
      }
      shape.push({ key, kind: 'edges', sub });
    } else throw new Unknown();
  }
  // nodes and edges' node asking different fields would need two objects per row
  if (c.flags.exact && nodeFields > 1) throw new Unknown();
  const { sql, names } = positional(c.object(type, 'd', nodeSets), c.params, 0);
  return { sql, names, withCount, ...(c.flags.exact ? { shape } : {}) };
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

/**
 * The parts of a page's statement: the resolver's own query (scope, filters, order) as the keyset page, and the
 * count, with their parameters numbered after the plan's.
 */
function pageParts(ctx: Context, plan: Plan, list: CapturedList) {
  const first = list.first ?? ctx.config.defaultPageSize;
  const countQb = plan.withCount ? list.qb.clone().select('COUNT(1)', 'cnt') : null;
  const [pageSql, pageValues] = keysetPage(list.qb.clone(), list.order, first, list.after).select('d.id', 'id').getQueryAndParameters();
  const [countSql, countValues] = countQb ? countQb.getQueryAndParameters() : ['', []];
  const k = plan.names.length;
  const keys = list.order as SortKey<unknown>[];
  return {
    first,
    keys,
    order: keys.map((key) => `${key.sql} ${key.direction}`).join(', '),
    keyArray: `json_build_array(${keys.map((key) => key.sql).join(', ')})`,
    page: shift(pageSql, k),
    count: countQb ? shift(countSql, k + pageValues.length) : null,
    values: (model: Model) => [...planValues(model, plan, ctx.caller), ...pageValues, ...countValues],
    // a row's sort key values as the list's cursor (timestamps in toISOString's form, as connection.ts encodes them)
    cursor: (values: unknown[]) => encodeCursor(keys.map((key, i) => (key.kind === 'timestamp' ? new Date(values[i] as string).toISOString() : (values[i] as string | number)))),
  };
}

/** a page of a list: the resolver's own query (scope, filters, order), the keyset page, nested levels and the count in one statement */
async function compiledPage(model: Model, ctx: Context, plan: Plan, type: ObjectInfo, list: CapturedList): Promise<Page<unknown>> {
  const { first, order, keyArray, page: pageSql, count, values, cursor } = pageParts(ctx, plan, list);
  const sql =
    `SELECT json_build_object('nodes', COALESCE((SELECT json_agg(json_build_array(${plan.sql}, ${keyArray}) ORDER BY ${order}) ` +
    `FROM (${pageSql}) p JOIN ${type.table} d ON d.id = p.id), CAST('[]' AS json))` +
    (count ? `, 'count', (${count})` : '') +
    ') AS j';
  const result = (await run(ctx.dataSource, sql, values(model))) as { nodes: Array<[Record<string, unknown>, unknown[]]>; count?: number };
  const rows = result.nodes;
  const page = rows.slice(0, first);
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

/** separators of the rows of an exact page's text: PostgreSQL writes control characters inside JSON as \u00XX, never raw */
const ROW = '\u0001';
const KEYS = '\u0002';

/**
 * A page of a list as the exact JSON text of its connection: the nodes' texts as PostgreSQL wrote them (one
 * statement, as compiledPage), joined with the edges, cursors, page info and count the selection asks, in its order.
 */
async function compiledPageText(model: Model, ctx: Context, plan: Plan, type: ObjectInfo, list: CapturedList): Promise<string> {
  const { first, order, keyArray, page: pageSql, count, values, cursor } = pageParts(ctx, plan, list);
  const sql =
    `SELECT (SELECT string_agg(CAST(${plan.sql} AS text) || chr(2) || CAST(${keyArray} AS text), chr(1) ORDER BY ${order}) ` +
    `FROM (${pageSql}) p JOIN ${type.table} d ON d.id = p.id) AS j` +
    (count ? `, (${count}) AS count` : '');
  const row = await runRow(ctx.dataSource, sql, values(model));
  const rows = row?.j ? (row.j as string).split(ROW).map((r) => [r.slice(0, r.lastIndexOf(KEYS)), r.slice(r.lastIndexOf(KEYS) + 1)] as const) : [];
  const page = rows.slice(0, first);
  const cursorOf = (i: number) => JSON.stringify(cursor(JSON.parse(page[i][1]) as unknown[]));
  const object = (fields: ConnectionField[], value: (f: ConnectionField) => string) => `{${fields.map((f) => `${JSON.stringify(f.key)}:${value(f)}`).join(',')}}`;
  return object(plan.shape!, (f) => {
    switch (f.kind) {
      case 'nodes':
        return `[${page.map(([node]) => node).join(',')}]`;
      case 'edges':
        return `[${page.map(([node], i) => object(f.sub!, (e) => (e.kind === 'node' ? node : e.kind === 'cursor' ? cursorOf(i) : JSON.stringify(e.typeName)))).join(',')}]`;
      case 'pageInfo':
        return object(f.sub!, (p) => (p.kind === 'hasNextPage' ? String(rows.length > first) : p.kind === 'endCursor' ? (page.length ? cursorOf(page.length - 1) : 'null') : JSON.stringify(p.typeName)));
      case 'totalCount':
        return String(Number(row?.count ?? 0));
      default:
        return JSON.stringify(f.typeName);
    }
  });
}

/** a per-process prefix that no answer can hold: data's placeholders for the texts spliced in by the HTTP edge */
const PLACEHOLDER = `\u0000compiled-${randomUUID()}-`;

type Answerer = (rc: GraphQLRequestContextResponseForOperation<Context>) => Promise<GraphQLResponse | null>;
const answerers = new WeakMap<GraphQLSchema, Answerer>();

/** Apollo plugin: wholly compiled queries answered as text (installCompiledReads made the answerer for the schema). */
export const compiledTextPlugin: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    return {
      responseForOperation: async (rc) => (await answerers.get(rc.schema)?.(rc)) ?? null,
    };
  },
};

/**
 * The response body with each compiled answer's text in place of its placeholder (a JSON string in data): the
 * HTTP edge calls it on every body of a request whose context holds answers.
 */
export function spliceCompiledText(body: string, answers: Map<string, string> | undefined): string {
  if (!answers?.size) return body;
  let out = body;
  for (const [placeholder, text] of answers) out = out.replace(JSON.stringify(placeholder), () => text);
  return out;
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
  /** the compiled root fields, for exact answers */
  const roots = new Map<string, { byId: boolean; node: boolean; named: NonNullable<ReturnType<typeof getNamedType>>; nodesField?: { type: GraphQLOutputType }; original: GraphQLFieldResolver<unknown, Context> }>();

  /**
   * How one root field's exact JSON text is read: planned now (no statement runs), read when called; Unknown when it
   * cannot be answered so — found for every root field before any of them reads, so a query that falls back to
   * graphql-js has run nothing twice.
   */
  const prepareText = async (d: NonNullable<ReturnType<typeof roots.get>>, args: Record<string, any>, ctx: Context, info: GraphQLResolveInfo): Promise<() => Promise<string>> => {
    const m = modelOf(ctx);
    if (d.byId || d.node) {
      const parsed = d.node ? fromGlobalId(args.id) : null;
      const type = m.documents.get(d.node ? (parsed?.type ?? '') : d.named.name);
      if (!type) throw new Unknown();
      const uuid = d.node ? parsed!.id : idOf(args.id, type.name);
      if (!uuid) return async () => 'null';
      const plan = planFor(m, ctx, info, type, 'document', true);
      if (!plan) throw new Unknown();
      return async () => ((await compiledDocument(m, ctx, plan, uuid)) as string | null) ?? 'null';
    }
    const type = m.documents.get(getNamedType(d.nodesField!.type).name)!;
    const plan = planFor(m, ctx, info, type, 'page', true);
    if (!plan) throw new Unknown();
    // the list's own resolver hands over its query (scope, filters, order) without running it
    let captured: CapturedList | undefined;
    await d.original(undefined, args, { ...ctx, listCapture: async (l: CapturedList) => ((captured = l), null) }, info);
    if (!captured || captured.def.type !== type.name) throw new Unknown();
    const list = captured;
    return () => compiledPageText(m, ctx, plan, type, list);
  };

  /**
   * A query whose every root field compiles, answered with the statements' JSON text as it is: no objects are
   * built, parsed, walked by graphql-js or serialised again. Data holds a placeholder per root field that the HTTP
   * edge replaces with its text (ctx.compiledText.answers). Null (graphql-js executes as usual) for anything else —
   * a mutation, a field or a selection that does not compile, variables or arguments graphql-js would refuse, an
   * error on the way: the usual path then gives the usual answer or error.
   */
  answerers.set(schema, async (rc) => {
    const ctx = rc.contextValue;
    const operation = rc.operation;
    if (!ctx.compiledText?.enabled || !enabled(ctx) || operation?.operation !== 'query') return null;
    const fragments: Record<string, FragmentDefinitionNode> = {};
    for (const d of rc.document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
    const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rc.request.variables ?? {});
    if (coerced.errors) return null;
    const variableValues = coerced.coerced;
    const answers = new Map<string, string>();
    const data: Record<string, unknown> = {};
    try {
      const fields = collect({ schema, fragments, variableValues }, [operation.selectionSet], root, { dynamic: false, exact: true, rootArguments: true });
      const reads: Array<[placeholder: string, read: () => Promise<string>]> = [];
      for (const [key, nodes] of fields) {
        const name = nodes[0].name.value;
        if (name === '__typename') {
          data[key] = root.name;
          continue;
        }
        const d = roots.get(name);
        if (!d || nodes.length > 1) return null;
        const fieldDef = root.getFields()[name];
        const args = getArgumentValues(fieldDef, nodes[0], variableValues);
        const info = { fieldName: name, fieldNodes: nodes, returnType: fieldDef.type, parentType: root, path: { prev: undefined, key, typename: root.name }, schema, fragments, rootValue: undefined, operation, variableValues } as GraphQLResolveInfo;
        const placeholder = `${PLACEHOLDER}${reads.length}`;
        reads.push([placeholder, await prepareText(d, args, ctx, info)]);
        data[key] = placeholder;
      }
      // every root field compiles: now read them
      for (const [placeholder, read] of reads) answers.set(placeholder, await read());
    } catch {
      return null;
    }
    compiledReadStats.compiled += answers.size;
    compiledReadStats.text += answers.size;
    ctx.compiledText.answers = answers;
    return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: 'single', singleResult: { data } } };
  });

  for (const field of Object.values(root.getFields())) {
    const original = field.resolve as GraphQLFieldResolver<unknown, Context>;
    const named = getNamedType(field.type);
    const byId = documentTypes.has(named.name) && field.args.length === 1 && field.args[0].name === 'id';
    const node = field.name === 'node' && named.name === 'Node';
    const nodesField = named instanceof GraphQLObjectType && named.name.endsWith('Connection') ? named.getFields().nodes : undefined;
    const list = !!nodesField && documentTypes.has(getNamedType(nodesField.type).name);
    if (!byId && !node && !list) continue;
    roots.set(field.name, { byId, node, named, nodesField, original });
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
