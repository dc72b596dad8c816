import { registerEnumType } from 'type-graphql';

export enum ServiceRecordState { OPEN = 'OPEN', SUBMITTED = 'SUBMITTED', REVIEWED = 'REVIEWED', ARCHIVED = 'ARCHIVED' }
export enum EntryKind { PROGRESS = 'PROGRESS', PROBLEM = 'PROBLEM', SOLUTION = 'SOLUTION', FEEDBACK = 'FEEDBACK' }
/** how the customer's sign-off reached the record */
export enum SignOffChannel { PORTAL = 'PORTAL', PAPER = 'PAPER' }
/** what the customer put on the field report (seed 002: 簽署姓名或加蓋公章) */
export enum SignOffMark { SIGNATURE = 'SIGNATURE', COMPANY_SEAL = 'COMPANY_SEAL' }
/** 三包: whether the equipment was under the maker's warranty when the fault was checked */
export enum WarrantyCoverage { IN_WARRANTY = 'IN_WARRANTY', OUT_OF_WARRANTY = 'OUT_OF_WARRANTY' }

registerEnumType(ServiceRecordState, { name: 'ServiceRecordState' });
registerEnumType(EntryKind, { name: 'EntryKind', description: 'PROGRESS: a step or operation; PROBLEM and SOLUTION; FEEDBACK: what the customer said' });
registerEnumType(SignOffChannel, { name: 'SignOffChannel', description: 'PORTAL: signed by a portal user of the request\'s organisation; PAPER: the paper report signed on site, recorded by customer service' });
registerEnumType(SignOffMark, { name: 'SignOffMark', description: 'the customer signed their name, or stamped the company seal' });
registerEnumType(WarrantyCoverage, { name: 'WarrantyCoverage', description: '三包: in or out of the maker\'s warranty' });
