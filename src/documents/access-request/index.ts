/** The AccessRequest folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { AccessLogEntry, AccessRequest } from './access-request.entity';
import { accessRequestDefinition } from './access-request.definition';
import { AccessRequestResolver } from './access-request.resolver';
import { AccessRequestType } from './access-request.types';

export const accessRequestModule: DocumentModule = { def: accessRequestDefinition, entities: [AccessRequest, AccessLogEntry], objectType: AccessRequestType, resolvers: [AccessRequestResolver] };
