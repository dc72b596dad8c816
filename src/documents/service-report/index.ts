/** The ServiceReport folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { ServiceReport } from './service-report.entity';
import { serviceReportDefinition } from './service-report.definition';
import { ServiceReportResolver } from './service-report.resolver';
import { ServiceReportType } from './service-report.types';

export const serviceReportModule: DocumentModule = { def: serviceReportDefinition, entities: [ServiceReport], objectType: ServiceReportType, resolvers: [ServiceReportResolver] };
