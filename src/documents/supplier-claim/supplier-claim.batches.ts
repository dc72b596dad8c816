/**
 * The monthly batches of returned old parts as the store reads them: each month's old parts, which went into a
 * supplier claim and which are left to scrap or keep. Read-only; the batch is written by the monthly processing.
 * The store, customer service and executives read every item; a supervisor their department's; nobody else.
 */
import { GraphQLError } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, Float, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { hasRole, Role, type Caller } from '../../auth/roles';
import type { Context } from '../../graphql/context';
import { supplierClaimDefinition } from './supplier-claim.definition';
import { OldPartBatch, OldPartBatchItem, SupplierClaim } from './supplier-claim.entity';
import { SupplierClaimType } from './supplier-claim.types';

@ObjectType('OldPartBatchItem', { description: 'One old part the store received, as the month\'s processing took it' })
export class OldPartBatchItemType {
  @Field({ description: 'the parts requisition, PR-2026-000123' }) requisitionNumber: string;
  @Field(() => Int) line: number;
  @Field() partNumber: string;
  @Field() partName: string;
  @Field(() => Int) quantity: number;
  @Field(() => Float, { description: 'CNY' }) unitCost: number;
  @Field({ description: '三包: replaced under the customer\'s warranty' }) underWarranty: boolean;
  @Field() receivedAt: Date;
  @Field(() => String, { nullable: true }) supplier: string | null;
  @Field({ description: 'covered by the supplier\'s warranty: claimed back' }) supplierWarranty: boolean;
  claimId: string | null;
}

@ObjectType('OldPartBatch', { description: 'One month\'s processing of the returned old parts (seed 003 §3.7.5), made once per month' })
export class OldPartBatchType {
  id: string;
  @Field({ description: 'the first day of the month processed' }) periodFrom: string;
  @Field() processedAt: Date;
  @Field(() => Int, { description: 'old parts in the batch (all departments)' }) itemCount: number;
  @Field(() => Int, { description: 'supplier claims drawn up (all departments)' }) claimCount: number;
}

/** SQL on the item alias `i`: the items the caller reads, or null when they read none */
function itemScope(caller: Caller): { sql: string; params: Record<string, unknown> } | null {
  if (caller.customerId !== null) return null;
  if (hasRole(caller, Role.STOREKEEPER, Role.AGENT, Role.EXECUTIVE)) return { sql: 'TRUE', params: {} };
  if (hasRole(caller, Role.SUPERVISOR) && caller.departmentId) return { sql: 'i.department_id = :batchDepartment', params: { batchDepartment: caller.departmentId } };
  return null;
}

@Resolver(() => OldPartBatchType)
export class OldPartBatchResolver {
  @Query(() => [OldPartBatchType], { description: 'The monthly batches of returned old parts, newest first (the store, supervisors for their department, customer service, executives)' })
  async oldPartBatches(@Arg('first', () => Int, { nullable: true, defaultValue: 12, description: 'months, at most 60' }) first: number, @Ctx() ctx: Context): Promise<OldPartBatch[]> {
    if (!itemScope(ctx.caller)) throw new GraphQLError('Old part batches are read by the spare-parts store, supervisors, customer service and executives.', { extensions: { code: 'FORBIDDEN' } });
    if (!Number.isInteger(first) || first < 0 || first > 60) throw new GraphQLError('first must be 0 to 60', { extensions: { code: 'VALIDATION', field: 'first' } });
    return ctx.dataSource.getRepository(OldPartBatch).find({ order: { periodFrom: 'DESC' }, take: first });
  }

  @FieldResolver(() => [OldPartBatchItemType], { description: 'its old parts you read (a supervisor: their department\'s), by requisition and line' })
  async items(@Root() batch: OldPartBatch, @Ctx() ctx: Context): Promise<OldPartBatchItem[]> {
    const scope = itemScope(ctx.caller);
    if (!scope) return [];
    const qb = ctx.dataSource.getRepository(OldPartBatchItem).createQueryBuilder('i').where('i.batch_id = :batch', { batch: batch.id });
    if (scope.sql !== 'TRUE') qb.andWhere(scope.sql, scope.params);
    return qb.orderBy('i.requisition_number').addOrderBy('i.line').getMany();
  }
}

@Resolver(() => OldPartBatchItemType)
export class OldPartBatchItemResolver {
  @FieldResolver(() => SupplierClaimType, { nullable: true, description: 'the supplier claim it went into (null when none, or outside your scope)' })
  claim(@Root() item: OldPartBatchItem, @Ctx() ctx: Context): Promise<SupplierClaim | null> | null {
    return item.claimId ? ctx.loaders.document<SupplierClaim>(supplierClaimDefinition).load(item.claimId) : null;
  }
}

