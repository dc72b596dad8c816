/** The ServiceTask folder as the registry sees it. */
import { ApprovalSignatureResolver } from '../../approval/approval.types';
import type { DocumentModule } from '../../graphql/document-module';
import { ServiceTask } from './service-task.entity';
import { serviceTaskDefinition } from './service-task.definition';
import { ServiceTaskResolver } from './service-task.resolver';
import { ServiceTaskType } from './service-task.types';
import { TechnicianSuggestionResolver } from './service-task.suggestions';

export const serviceTaskModule: DocumentModule = { def: serviceTaskDefinition, entities: [ServiceTask], objectType: ServiceTaskType, resolvers: [ServiceTaskResolver, ApprovalSignatureResolver, TechnicianSuggestionResolver] };
