/** The Consultation folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { Consultation } from './consultation.entity';
import { consultationDefinition } from './consultation.definition';
import { ConsultationResolver } from './consultation.resolver';
import { ConsultationType } from './consultation.types';

export const consultationModule: DocumentModule = { def: consultationDefinition, entities: [Consultation], objectType: ConsultationType, resolvers: [ConsultationResolver] };
