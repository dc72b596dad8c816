/**
 * Every root document list of the schema as an export: `serviceRequests` is /export/service-requests.csv.
 * The rows are exactly the list's: the export runs the list's own resolver (its argument validation, its
 * filters, the caller's read scope and grants, its order) up to the query it would page through, then
 * streams that query instead of a page. The columns are the document type's GraphQL fields that are plain
 * columns; a portal user's export leaves out the type's staff-only fields (its read policy, as the schema's
 * masking does).
 */
import type { ApolloServer } from '@apollo/server';
import {
  getNamedType,
  getNullableType,
  GraphQLInputObjectType,
  GraphQLObjectType,
  isLeafType,
  isListType,
  type GraphQLArgument,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { DataSource } from 'typeorm';
import { isPortalUser } from '../auth/roles';
import type { DocumentModule } from '../graphql/document-module';
import type { CapturedList } from '../graphql/document-list';
import type { Context } from '../graphql/context';
import type { Page } from '../graphql/connection';
import { toGlobalId } from '../graphql/global-id';
import { ExportRefusal, type ExportSpec, type SqlSource } from './registry';

/** serviceRequests → service-requests */
export const exportNameOf = (field: string): string => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** arguments of a list that are about paging, not about which rows: not taken from an export's URL */
const PAGING = new Set(['first', 'after']);

interface Column {
  /** the GraphQL field, and the CSV header */
  field: string;
  /** the SQL column on the list's alias */
  sql: string;
  numeric: boolean;
}

/** The exportable columns of a type: its GraphQL leaf fields backed by a column of the same name, not computed by a field resolver. */
function columnsOf(module: DocumentModule, schema: GraphQLSchema, dataSource: DataSource): Column[] {
  const type = schema.getType(module.def.type) as GraphQLObjectType;
  const metadata = dataSource.getMetadata(module.def.entity);
  const resolved = new Set(
    getMetadataStorage()
      .fieldResolvers.filter((r) => r.getObjectType?.() === module.objectType)
      .map((r) => r.schemaName),
  );
  const columns: Column[] = [];
  for (const field of Object.values(type.getFields())) {
    if (field.name === 'id' || resolved.has(field.name) || !isLeafType(getNamedType(field.type))) continue;
    const column = metadata.columns.find((c) => c.propertyName === field.name && !c.relationMetadata);
    if (!column) continue;
    columns.push({ field: field.name, sql: column.databaseName, numeric: column.type === 'numeric' || column.type === 'decimal' });
  }
  return columns;
}

/** URL parameters as the list's GraphQL variables: a filter's fields by name, or the list's own arguments. */
function variablesFrom(params: URLSearchParams, args: readonly GraphQLArgument[]): { variables: Record<string, unknown>; used: GraphQLArgument[] } {
  const byName = new Map(args.filter((a) => !PAGING.has(a.name)).map((a) => [a.name, a]));
  const filterArg = byName.get('filter');
  const filterType = filterArg ? (getNullableType(filterArg.type) as GraphQLInputObjectType) : null;
  const filterFields = filterType instanceof GraphQLInputObjectType ? filterType.getFields() : {};
  const variables: Record<string, unknown> = {};
  const used = new Set<GraphQLArgument>();
  for (const name of new Set(params.keys())) {
    const values = params.getAll(name);
    const inFilter = name !== 'filter' ? filterFields[name] : undefined;
    const arg = inFilter ? undefined : name !== 'filter' ? byName.get(name) : undefined;
    const type = inFilter?.type ?? arg?.type;
    if (!type) {
      const known = [...Object.keys(filterFields), ...[...byName.keys()].filter((n) => n !== 'filter')];
      throw new ExportRefusal(`Unknown parameter ${name}; this list takes ${[...known, 'purpose', 'bom'].join(', ')}.`, name);
    }
    const value = valueOf(name, values, type);
    if (inFilter) {
      variables.filter = { ...(variables.filter as object), [name]: value };
      used.add(filterArg!);
    } else {
      variables[name] = value;
      used.add(arg!);
    }
  }
  return { variables, used: [...used] };
}

/** A parameter's values as the GraphQL type wants them (coerced and checked by GraphQL itself afterwards). */
function valueOf(name: string, values: string[], type: GraphQLInputType): unknown {
  const nullable = getNullableType(type);
  const scalar = (raw: string): unknown => {
    const named = getNamedType(type).name;
    if (named === 'Boolean') return raw === 'true' ? true : raw === 'false' ? false : raw;
    if (named === 'Int' || named === 'Float') return raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
    return raw;
  };
  // a list takes the parameter repeated, or comma-separated: state=SUBMITTED,ACCEPTED
  if (isListType(nullable)) return values.flatMap((v) => v.split(',')).filter((v) => v !== '').map(scalar);
  if (values.length > 1) throw new ExportRefusal(`${name} takes one value.`, name);
  return scalar(values[0]);
}

const EMPTY_PAGE: Page<never> = { edges: [], nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, countTotal: async () => 0 };

/** One export per root document list of the schema. */
export function documentListExports(schema: GraphQLSchema, apollo: ApolloServer<Context>, dataSource: DataSource, modules: DocumentModule[]): Map<string, ExportSpec> {
  const specs = new Map<string, ExportSpec>();
  const query = schema.getQueryType()!;
  for (const field of Object.values(query.getFields())) {
    const module = modules.find((m) => getNamedType(field.type).name === `${m.def.type}Connection`);
    if (!module) continue;
    const columns = columnsOf(module, schema, dataSource);
    const staffOnly = new Set(module.def.policy.staffOnlyFields);
    specs.set(exportNameOf(field.name), {
      description: field.description ?? `${module.def.type} documents`,
      async open({ caller, params, ctx }): Promise<SqlSource> {
        const { variables, used } = variablesFrom(params, field.args);
        const declarations = used.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
        const document = `query Export${declarations ? `(${declarations})` : ''} { ${field.name}${used.length ? `(${used.map((a) => `${a.name}: $${a.name}`).join(', ')})` : ''} { __typename } }`;
        let captured: CapturedList | null = null;
        const response = await apollo.executeOperation(
          { query: document, variables },
          { contextValue: { ...ctx, listCapture: async (list) => ((captured = list), EMPTY_PAGE) } },
        );
        const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
        if (errors?.length) {
          const error = errors[0];
          const code = String(error.extensions?.code ?? '');
          if (code === 'VALIDATION' || code === 'FORBIDDEN') throw new ExportRefusal(error.message, (error.extensions?.field as string | null) ?? null, code);
          throw Object.assign(new Error(`export of ${field.name} failed: ${error.message}`), { code: error.extensions?.code });
        }
        const list = captured as CapturedList | null;
        if (!list) throw new Error(`${field.name} did not build its list through listDocuments`);
        const visible = columns.filter((c) => !(isPortalUser(caller) && staffOnly.has(c.field)));
        const qb = list.qb.clone();
        const viaGrant = qb.expressionMap.selects.find((s) => s.aliasName === 'via_grant');
        qb.select(`${qb.alias}.id`, 'id');
        visible.forEach((c, i) => qb.addSelect(`${qb.alias}.${c.sql}`, `c${i}`));
        if (viaGrant) qb.addSelect(viaGrant.selection, 'via_grant');
        list.order.forEach((key, i) => (i === 0 ? qb.orderBy(key.sql, key.direction) : qb.addOrderBy(key.sql, key.direction)));
        const [sql, sqlParams] = qb.getQueryAndParameters();
        const type = module.def.type;
        return {
          columns: ['id', ...visible.map((c) => c.field)],
          sql,
          params: sqlParams,
          documentType: type,
          grantReads: viaGrant ? { documentType: type } : undefined,
          row: (raw) => [toGlobalId(type, raw.id as string), ...visible.map((c, i) => (c.numeric && raw[`c${i}`] !== null ? Number(raw[`c${i}`]) : raw[`c${i}`]))],
        };
      },
    });
  }
  return specs;
}
