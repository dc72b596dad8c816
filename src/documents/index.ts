/**
 * The document types this API runs. Adding one: write its folder (machine,
 * entity, types, definition, visibility, resolver), then list it here.
 */
import type { ClassType } from 'type-graphql';
import type { DocumentDefinition } from '../workflow/definition';
import { checkDefinition, checkReactions } from '../workflow/introspection';
import { definitionOf, registerDefinitions } from '../workflow/registry';
import { serviceRequestDefinition } from './service-request/service-request.definition';
import { ServiceRequestResolver } from './service-request/service-request.resolver';
import { ServiceRequestType } from './service-request/service-request.types';
import { serviceTaskDefinition } from './service-task/service-task.definition';
import { ServiceRequestTasksResolver, ServiceTaskResolver } from './service-task/service-task.resolver';
import { ServiceTaskType } from './service-task/service-task.types';
import { serviceRecordDefinition } from './service-record/service-record.definition';
import { ServiceRecordEntryResolver, ServiceRecordResolver } from './service-record/service-record.resolver';
import { ServiceRecordType } from './service-record/service-record.types';
import { serviceAcceptanceDefinition } from './service-acceptance/service-acceptance.definition';
import { ServiceAcceptanceResolver } from './service-acceptance/service-acceptance.resolver';
import { ServiceAcceptanceType } from './service-acceptance/service-acceptance.types';
import { ApprovalSignatureResolver } from '../approval/approval.types';
import { accessRequestDefinition } from './access-request/access-request.definition';
import { AccessRequestResolver } from './access-request/access-request.resolver';
import { AccessRequestType } from './access-request/access-request.types';

export interface DocumentModule {
  def: DocumentDefinition<any, any>;
  objectType: ClassType;
  /** the type's own queries and fields (lists, relations) */
  resolvers: ClassType[];
}

export const documentModules: DocumentModule[] = [
  { def: serviceRequestDefinition, objectType: ServiceRequestType, resolvers: [ServiceRequestResolver, ServiceRequestTasksResolver] },
  { def: serviceTaskDefinition, objectType: ServiceTaskType, resolvers: [ServiceTaskResolver, ApprovalSignatureResolver] },
  { def: serviceRecordDefinition, objectType: ServiceRecordType, resolvers: [ServiceRecordResolver, ServiceRecordEntryResolver] },
  { def: serviceAcceptanceDefinition, objectType: ServiceAcceptanceType, resolvers: [ServiceAcceptanceResolver] },
  { def: accessRequestDefinition, objectType: AccessRequestType, resolvers: [AccessRequestResolver] },
];

export const documentDefinitions = documentModules.map((m) => m.def);
registerDefinitions(documentDefinitions);

export { definitionOf };

// refuse to boot with a machine and a definition that disagree
documentDefinitions.forEach(checkDefinition);
checkReactions(documentDefinitions);
