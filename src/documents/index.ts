/**
 * The document types this API runs: one line each. Adding one: write its folder (machine, policy,
 * entity, types, definition, resolver, index), its migration, then list it here; fields that lead to
 * other types go in ./relations.ts, and reactions to its domain events in src/workflow/reactions.ts.
 */
import type { DocumentModule } from '../graphql/document-module';
import { checkDefinition, checkReactions } from '../workflow/introspection';
import { definitionOf, registerDefinitions } from '../workflow/registry';
import { accessRequestModule } from './access-request';
import { consultationModule } from './consultation';
import { partsRequisitionModule } from './parts-requisition';
import { complaintModule } from './complaint';
import { serviceAcceptanceModule } from './service-acceptance';
import { serviceRecordModule } from './service-record';
import { serviceRequestModule } from './service-request';
import { serviceTaskModule } from './service-task';
import { serviceReportModule } from './service-report';
import { supplierClaimModule } from './supplier-claim';

export const documentModules: DocumentModule[] = [
  serviceRequestModule,
  serviceTaskModule,
  serviceRecordModule,
  serviceAcceptanceModule,
  accessRequestModule,
  consultationModule,
  partsRequisitionModule,
  complaintModule,
  serviceReportModule,
  supplierClaimModule,
];

export const documentDefinitions = documentModules.map((m) => m.def);
registerDefinitions(documentDefinitions);

export { definitionOf };

// refuse to boot with a machine and a definition that disagree, or a reaction to an event nobody announces
documentDefinitions.forEach(checkDefinition);
checkReactions(documentDefinitions);
