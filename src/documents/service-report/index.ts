/** The ServiceReport folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { ServiceReport } from './service-report.entity';
import { serviceReportDefinition } from './service-report.definition';
import { ServiceReportResolver } from './service-report.resolver';
import { ServiceReportType } from './service-report.types';
// GET /export/service-report.csv
import './service-report.export';

export const serviceReportModule: DocumentModule = { def: serviceReportDefinition, entities: [ServiceReport], objectType: ServiceReportType, resolvers: [ServiceReportResolver] };
