import { Field, ID, InterfaceType } from 'type-graphql';

/** entity class → GraphQL type name, filled as types register */
const typeNames = new Map<Function, string>();

export function registerNodeType(entity: Function, typeName: string): void {
  typeNames.set(entity, typeName);
}

export function nodeTypeName(value: object): string | undefined {
  const hinted = (value as { __typename?: string }).__typename;
  return hinted ?? typeNames.get(value.constructor);
}

@InterfaceType({ description: 'An object with an opaque global id (Relay)', resolveType: (value) => nodeTypeName(value as object) })
export abstract class Node {
  @Field(() => ID, { description: 'Opaque global id; pass it to node(id:) or to mutations' })
  id: string;
}
