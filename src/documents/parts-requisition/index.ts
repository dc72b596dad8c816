/** The PartsRequisition folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { PartsRequisition } from './parts-requisition.entity';
import { partsRequisitionDefinition } from './parts-requisition.definition';
import { PartLineResolver, PartsRequisitionResolver } from './parts-requisition.resolver';
import { PartsRequisitionType } from './parts-requisition.types';

export const partsRequisitionModule: DocumentModule = { def: partsRequisitionDefinition, entities: [PartsRequisition], objectType: PartsRequisitionType, resolvers: [PartsRequisitionResolver, PartLineResolver] };
