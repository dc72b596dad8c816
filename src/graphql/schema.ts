import 'reflect-metadata';
import path from 'node:path';
import { defaultFieldResolver, GraphQLObjectType, GraphQLSchema, isNonNullType, lexicographicSortSchema, printSchema } from 'graphql';
import { isPortalUser } from '../auth/roles';
import type { Context } from './context';
import { GraphQLScalarType } from 'graphql';
import { buildSchema, GraphQLISODateTime, type NonEmptyArray } from 'type-graphql';
import { documentModules } from '../documents';
import { documentRelations } from '../documents/relations';
import { createRelationResolvers } from './relations';
import { CustomerResolver, DepartmentResolver, UserResolver } from '../organisation/organisation.resolver';
import { FieldServiceResolver, TechnicianCertificateResolver, TechnicianQualificationResolver } from '../organisation/field-service.resolver';
import { WorkflowResolver } from '../workflow/workflow.resolver';
import { connectionResolvers } from './connection';
import { createDocumentResolver } from './document-resolver';
import { HistoryConnectionResolver } from './history';
import { WebhookResolver } from '../jobs/webhooks/webhook.resolver';
import { noTopics, SubscriptionResolver } from './subscriptions';
import { TimeResolver } from '../time/time.resolver';
import { ExportLogResolver } from '../export/export-log.resolver';
import { StatisticsResolver } from '../statistics/statistics.resolver';
import { RecordsResolver } from '../records/records.resolver';
import { installCompiledReads } from './compiled-reads';
import { AdminResolver } from '../admin/admin.resolver';
import { CommunicationResolver, createCommunicationFieldResolvers } from '../communications/communication.resolver';

/** the committed contract; `npm run schema:emit` rewrites it, a test fails when it drifts */
export const SCHEMA_FILE = path.resolve(__dirname, '../../schema/schema.graphql').replace(`${path.sep}dist${path.sep}`, path.sep);

export const printApiSchema = (schema: GraphQLSchema): string => printSchema(lexicographicSortSchema(schema)) + '\n';

let built: Promise<GraphQLSchema> | undefined;

/**
 * The API's schema, built once per process (type-graphql's metadata is global anyway): `npm start` builds it with the
 * server's modules (on a first start while the embedded PostgreSQL's cluster is made, src/main.ts), and startApi
 * finds it ready.
 */
export function buildApiSchema(): Promise<GraphQLSchema> {
  return (built ??= build());
}

async function build(): Promise<GraphQLSchema> {
  const resolvers = [
    WorkflowResolver,
    DepartmentResolver,
    CustomerResolver,
    UserResolver,
    FieldServiceResolver,
    TechnicianQualificationResolver,
    TechnicianCertificateResolver,
    ...documentModules.flatMap((m) => [createDocumentResolver(m), ...m.resolvers]),
    ...createRelationResolvers(documentRelations, new Map(documentModules.map((m) => [m.def.type, m]))),
    ...connectionResolvers,
    HistoryConnectionResolver,
    WebhookResolver,
    SubscriptionResolver,
    TimeResolver,
    ExportLogResolver,
    StatisticsResolver,
    RecordsResolver,
    AdminResolver,
    CommunicationResolver,
    ...createCommunicationFieldResolvers(new Map(documentModules.map((m) => [m.def.type, m.objectType]))),
  ] as unknown as NonEmptyArray<Function>;
  const schema = await buildSchema({
    resolvers,
    scalarsMap: [{ type: Date, scalar: DateTimeISO }],
    validate: { forbidUnknownValues: false },
    // type-graphql asks for a PubSub as soon as there is a subscription; ours each bring their own subscribe (the outbox feed)
    pubSub: noTopics,
  });
  maskStaffOnlyFields(schema);
  installCompiledReads(schema);
  return schema;
}

/** An instant already in toISOString's form: 2026-12-02T07:30:19.147Z */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * graphql-scalars' DateTimeISO (type-graphql's scalar for Date), as it is, but a value already in its output form —
 * what compiled reads select (`to_char`, src/graphql/compiled-reads.ts) — is passed through instead of being parsed,
 * validated and printed again for every instant of every row.
 */
const DateTimeISO = new GraphQLScalarType({
  ...GraphQLISODateTime.toConfig(),
  serialize: (value: unknown) => (typeof value === 'string' && ISO_INSTANT.test(value) ? value : GraphQLISODateTime.serialize(value)),
});

/**
 * Staff-only fields, from each type's read policy: null for portal users. Applied to the built schema so
 * the one declaration covers columns and resolver fields alike, and nothing else wraps the fields.
 */
function maskStaffOnlyFields(schema: GraphQLSchema): void {
  for (const { def } of documentModules) {
    const type = schema.getType(def.type);
    if (!(type instanceof GraphQLObjectType)) throw new Error(`${def.type} is not an object type of the schema`);
    const fields = type.getFields();
    for (const name of def.policy.staffOnlyFields) {
      const field = fields[name];
      if (!field) continue; // a column portal users never see in history, with no field of its own
      if (isNonNullType(field.type)) throw new Error(`${def.type}.${name} is staff-only, so it must be nullable`);
      const resolve = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, ctx: Context, info) => (isPortalUser(ctx.caller) ? null : resolve(source, args, ctx, info));
    }
  }
}
