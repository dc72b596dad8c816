import { registerEnumType } from 'type-graphql';

export enum ServiceRecordState { OPEN = 'OPEN', SUBMITTED = 'SUBMITTED', REVIEWED = 'REVIEWED', ARCHIVED = 'ARCHIVED' }
export enum EntryKind { PROGRESS = 'PROGRESS', PROBLEM = 'PROBLEM', SOLUTION = 'SOLUTION', FEEDBACK = 'FEEDBACK' }

registerEnumType(ServiceRecordState, { name: 'ServiceRecordState' });
registerEnumType(EntryKind, { name: 'EntryKind', description: 'PROGRESS: a step or operation; PROBLEM and SOLUTION; FEEDBACK: what the customer said' });
