/** The ServiceRequest folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { ServiceRequest } from './service-request.entity';
import { serviceRequestDefinition } from './service-request.definition';
import { ServiceRequestResolver } from './service-request.resolver';
import { ServiceRequestType } from './service-request.types';

export const serviceRequestModule: DocumentModule = { def: serviceRequestDefinition, entities: [ServiceRequest], objectType: ServiceRequestType, resolvers: [ServiceRequestResolver] };
