/**
 * What the console knows of the GraphQL contract, baked in at build time from schema/schema.graphql
 * (scripts/build-console.js): each document type's plain fields, each mutation's input, the enums' values.
 */
export interface FieldRef {
  name: string;
  type: string;
  kind: 'scalar' | 'enum' | 'input' | 'object';
  required: boolean;
  list: boolean;
  description?: string;
}

export interface SchemaDigest {
  documents: Record<string, { scalars: string[]; named: string[]; nested: Record<string, string>; deadlines: boolean }>;
  inputs: Record<string, FieldRef[]>;
  enums: Record<string, string[]>;
  mutations: Record<string, { input: string; inputRequired: boolean; document: string | null }>;
}

declare const SCHEMA_DIGEST: SchemaDigest;
export const schema: SchemaDigest = SCHEMA_DIGEST;

/** The query of one document's page: its fields, the buttons, the timeline. */
export function documentQuery(type: string): string {
  const doc = schema.documents[type];
  if (!doc) throw new Error(`unknown document type ${type}`);
  const named = doc.named.map((f) => `${f} { name }`).join(' ');
  const deadlines = doc.deadlines ? 'deadlines { kind openedAt dueAt metAt breached escalationLevel }' : '';
  return `query ConsoleDocument($id: ID!) { node(id: $id) { __typename id ... on ${type} { ${doc.scalars.join(' ')} ${named}
    availableEvents { event mutation allowed code reason }
    history(first: 100) { totalCount nodes { seq event fromState toState at reason actor { name } actorRoles } }
    ${deadlines} } } }`;
}

/**
 * The query of one nested part of a document (a record's entries, its warranty check, a task's dispatch notice…).
 * Each part is asked for on its own, so a part the caller may not read (an error) leaves the others standing.
 */
export function detailQuery(type: string, field: string): string | null {
  const selection = schema.documents[type]?.nested?.[field];
  return selection ? `query ConsoleDetail($id: ID!) { node(id: $id) { ... on ${type} { ${field} { ${selection} } } } }` : null;
}

/** The fields a person fills in for a mutation (its id and version are the page's). */
export function formFields(mutation: string): FieldRef[] {
  const m = schema.mutations[mutation];
  if (!m) return [];
  return (schema.inputs[m.input] ?? []).filter((f) => f.name !== 'id' && f.name !== 'expectedVersion');
}
