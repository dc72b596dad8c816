/**
 * The document types by name, filled by src/documents/index.ts. A separate
 * module so a definition can look up other types (an access request names
 * any document) without importing the list that imports it.
 */
import type { DocumentDefinition } from './definition';

const byType = new Map<string, DocumentDefinition<any, any>>();

export function registerDefinitions(definitions: DocumentDefinition<any, any>[]): void {
  for (const def of definitions) byType.set(def.type, def);
}

export function definitionOf(type: string): DocumentDefinition<any, any> | undefined {
  return byType.get(type);
}

/** Every registered type, in registration order. */
export function allDefinitions(): DocumentDefinition<any, any>[] {
  return [...byType.values()];
}
