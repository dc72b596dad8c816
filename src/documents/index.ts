/**
 * The document types this API runs. Adding one: write its folder (machine,
 * entity, types, definition, visibility, resolver), then list it here.
 */
import type { ClassType } from 'type-graphql';
import type { DocumentDefinition } from '../workflow/definition';
import { checkDefinition } from '../workflow/introspection';
import { serviceRequestDefinition } from './service-request/service-request.definition';
import { ServiceRequestResolver } from './service-request/service-request.resolver';
import { ServiceRequestType } from './service-request/service-request.types';

export interface DocumentModule {
  def: DocumentDefinition<any, any>;
  objectType: ClassType;
  /** the type's own queries and fields (lists, relations) */
  resolvers: ClassType[];
}

export const documentModules: DocumentModule[] = [
  { def: serviceRequestDefinition, objectType: ServiceRequestType, resolvers: [ServiceRequestResolver] },
];

export const documentDefinitions = documentModules.map((m) => m.def);

export function definitionOf(type: string): DocumentDefinition<any, any> | undefined {
  return documentDefinitions.find((d) => d.type === type);
}

// refuse to boot with a machine and a definition that disagree
documentDefinitions.forEach(checkDefinition);
