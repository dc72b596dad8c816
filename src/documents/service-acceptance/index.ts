/** The ServiceAcceptance folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { ServiceAcceptance } from './service-acceptance.entity';
import { serviceAcceptanceDefinition } from './service-acceptance.definition';
import { ServiceAcceptanceResolver } from './service-acceptance.resolver';
import { ServiceAcceptanceType } from './service-acceptance.types';

export const serviceAcceptanceModule: DocumentModule = { def: serviceAcceptanceDefinition, entities: [ServiceAcceptance], objectType: ServiceAcceptanceType, resolvers: [ServiceAcceptanceResolver] };
