/** The SupplierClaim folder as the registry sees it. */
import type { DocumentModule } from '../../graphql/document-module';
import { OldPartBatch, OldPartBatchItem, SupplierClaim } from './supplier-claim.entity';
import { supplierClaimDefinition } from './supplier-claim.definition';
import { SupplierClaimResolver } from './supplier-claim.resolver';
import { OldPartBatchItemResolver, OldPartBatchResolver } from './supplier-claim.batches';
import { SupplierClaimType } from './supplier-claim.types';

export const supplierClaimModule: DocumentModule = { def: supplierClaimDefinition, entities: [SupplierClaim, OldPartBatch, OldPartBatchItem], objectType: SupplierClaimType, resolvers: [SupplierClaimResolver, OldPartBatchResolver, OldPartBatchItemResolver] };
