import { Max, Min, ValidateNested } from 'class-validator';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { Connection } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { idOf } from '../../graphql/global-id';
import { Department } from '../../organisation/organisation.entities';
import { DepartmentType } from '../../organisation/organisation.types';
import { supplierClaimDefinition } from './supplier-claim.definition';
import { SupplierClaim } from './supplier-claim.entity';
import { SupplierClaimState } from './supplier-claim.enums';
import { SupplierClaimLineType, SupplierClaimType } from './supplier-claim.types';

export const SupplierClaimConnection = Connection(SupplierClaimType, 'SupplierClaim');

@InputType({ description: 'All given conditions must hold' })
export class SupplierClaimFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [SupplierClaimState], { nullable: true, description: 'DRAFT: what the store has to send' }) state?: SupplierClaimState[];
  @Field(() => ID, { nullable: true }) departmentId?: string;
  @Field(() => String, { nullable: true, description: 'the supplier, as named (case and surrounding spaces ignored)' }) supplier?: string;
  @Field(() => String, { nullable: true, description: 'the month, as its first day: 2026-11-01' }) periodFrom?: string;
}

@ArgsType()
class SupplierClaimsArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => SupplierClaimFilter, { nullable: true }) @ValidateNested() filter?: SupplierClaimFilter;
}

@Resolver(() => SupplierClaimType)
export class SupplierClaimResolver {
  @Query(() => SupplierClaimConnection, { description: 'Supplier claims (二次索賠) within your scope, newest first' })
  async supplierClaims(@Args(() => SupplierClaimsArgs) args: SupplierClaimsArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, supplierClaimDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.departmentId) qb.andWhere('d.department_id = :departmentId', { departmentId: idOf(f.departmentId, 'Department') ?? NO_MATCH });
      if (f.supplier) qb.andWhere('d.supplier_key = :supplierKey', { supplierKey: f.supplier.trim().toLowerCase() });
      if (f.periodFrom) qb.andWhere('d.period_from::text = :periodFrom', { periodFrom: f.periodFrom });
    });
  }

  @FieldResolver(() => [SupplierClaimLineType])
  lines(@Root() doc: SupplierClaim): SupplierClaimLineType[] {
    return doc.lines.map((l) => ({
      requisitionNumber: l.requisitionNumber,
      line: l.line,
      partNumber: l.partNumber,
      partName: l.partName,
      quantity: l.quantity,
      unitCost: l.unitCost,
      amount: (l.quantity * Math.round(l.unitCost * 100)) / 100,
      receivedAt: new Date(l.receivedAt),
    }));
  }

  @FieldResolver(() => DepartmentType)
  department(@Root() doc: SupplierClaim, @Ctx() ctx: Context): Promise<Department | null> {
    return ctx.loaders.department.load(doc.departmentId);
  }
}
