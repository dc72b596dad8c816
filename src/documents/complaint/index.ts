/** The Complaint folder as the registry sees it. */
import { ApprovalSignatureResolver } from '../../approval/approval.types';
import type { DocumentModule } from '../../graphql/document-module';
import { Complaint } from './complaint.entity';
import { complaintDefinition } from './complaint.definition';
import { ComplaintResolver } from './complaint.resolver';
import { ComplaintType } from './complaint.types';

export const complaintModule: DocumentModule = { def: complaintDefinition, entities: [Complaint], objectType: ComplaintType, resolvers: [ComplaintResolver, ApprovalSignatureResolver] };
