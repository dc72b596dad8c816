/** The ServiceRecord folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision } from './service-record.entity';
import { serviceRecordDefinition } from './service-record.definition';
import { ServiceRecordResolver, ServiceRecordEntryResolver } from './service-record.resolver';
import { ServiceRecordType } from './service-record.types';

export const serviceRecordModule: DocumentModule = { def: serviceRecordDefinition, entities: [ServiceRecord, ServiceRecordEntry, ServiceRecordEntryRevision], objectType: ServiceRecordType, resolvers: [ServiceRecordResolver, ServiceRecordEntryResolver] };
