import { Max, Min, ValidateNested } from 'class-validator';
import { Args, ArgsType, Ctx, Field, FieldResolver, ID, InputType, Int, Query, Resolver, Root } from 'type-graphql';
import { ApprovalSignature } from '../../approval/approval.entity';
import { ApprovalSignatureType } from '../../approval/approval.types';
import { Connection } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { idOf } from '../../graphql/global-id';
import { SaneDate } from '../../graphql/validation';
import { Customer, Department, User } from '../../organisation/organisation.entities';
import { CustomerType, DepartmentType, UserType } from '../../organisation/organisation.types';
import { partsRequisitionDefinition } from './parts-requisition.definition';
import { PartsRequisition } from './parts-requisition.entity';
import { PartsRequisitionState } from './parts-requisition.enums';
import { PartLineType, PartsRequisitionType } from './parts-requisition.types';

export const PartsRequisitionConnection = Connection(PartsRequisitionType, 'PartsRequisition');

@InputType({ description: 'All given conditions must hold' })
export class PartsRequisitionFilter {
  @OverdueFilter() overdue?: boolean;
  @Field(() => [PartsRequisitionState], { nullable: true, description: 'APPROVED: what the store has to issue' }) state?: PartsRequisitionState[];
  @Field(() => ID, { nullable: true }) departmentId?: string;
  @Field(() => ID, { nullable: true }) taskId?: string;
  @Field(() => ID, { nullable: true, description: 'the technician who asked for the parts' }) requesterId?: string;
  @Field(() => Date, { nullable: true, description: 'created at or after' }) @SaneDate() createdFrom?: Date;
  @Field(() => Date, { nullable: true, description: 'created before' }) @SaneDate() createdTo?: Date;
}

@ArgsType()
class PartsRequisitionsArgs {
  @Field(() => Int, { nullable: true, description: 'page size; at most the server\'s cap (100 by default)' }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => PartsRequisitionFilter, { nullable: true }) @ValidateNested() filter?: PartsRequisitionFilter;
}

@Resolver(() => PartsRequisitionType)
export class PartsRequisitionResolver {
  @Query(() => PartsRequisitionConnection, { description: 'Parts requisitions within your scope, newest first' })
  async partsRequisitions(@Args(() => PartsRequisitionsArgs) args: PartsRequisitionsArgs, @Ctx() ctx: Context) {
    const f = args.filter ?? {};
    return listDocuments(ctx, partsRequisitionDefinition, args, (qb) => {
      if (f.state?.length) qb.andWhere('d.state IN (:...states)', { states: f.state });
      if (f.departmentId) qb.andWhere('d.department_id = :departmentId', { departmentId: idOf(f.departmentId, 'Department') ?? NO_MATCH });
      if (f.taskId) qb.andWhere('d.task_id = :taskId', { taskId: idOf(f.taskId, 'ServiceTask') ?? NO_MATCH });
      if (f.requesterId) qb.andWhere('d.created_by_id = :requesterId', { requesterId: idOf(f.requesterId, 'User') ?? NO_MATCH });
      if (f.createdFrom) qb.andWhere('d.created_at >= :createdFrom', { createdFrom: f.createdFrom });
      if (f.createdTo) qb.andWhere('d.created_at < :createdTo', { createdTo: f.createdTo });
    });
  }

  @FieldResolver(() => [PartLineType])
  lines(@Root() doc: PartsRequisition): PartLineType[] {
    return doc.lines.map((l, i) => ({
      line: i + 1,
      partNumber: l.partNumber,
      partName: l.partName,
      quantity: l.quantity,
      unitCost: l.unitCost,
      amount: (l.quantity * Math.round(l.unitCost * 100)) / 100,
      underWarranty: l.underWarranty,
      oldPart: l.oldPart ?? null,
      oldPartNote: l.oldPartNote ?? null,
      keptBy: l.keptBy ?? null,
      oldPartReceivedAt: l.oldPartReceivedAt ? new Date(l.oldPartReceivedAt) : null,
      oldPartReceivedById: l.oldPartReceivedById ?? null,
      supplier: l.supplier ?? null,
      supplierWarranty: l.supplierWarranty ?? null,
    }));
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'the leader who approved the write-off' })
  writeOffApprovedBy(@Root() doc: PartsRequisition, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.writeOffApprovedById ? ctx.loaders.user.load(doc.writeOffApprovedById) : null;
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'the storekeeper who wrote the warranty parts off' })
  writtenOffBy(@Root() doc: PartsRequisition, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.writtenOffById ? ctx.loaders.user.load(doc.writtenOffById) : null;
  }

  @FieldResolver(() => CustomerType)
  customer(@Root() doc: PartsRequisition, @Ctx() ctx: Context): Promise<Customer | null> {
    return ctx.loaders.customer.load(doc.customerId);
  }

  @FieldResolver(() => DepartmentType)
  department(@Root() doc: PartsRequisition, @Ctx() ctx: Context): Promise<Department | null> {
    return ctx.loaders.department.load(doc.departmentId);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'the technician who asked for the parts' })
  requester(@Root() doc: PartsRequisition, @Ctx() ctx: Context): Promise<User | null> {
    return ctx.loaders.user.load(doc.createdById);
  }

  @FieldResolver(() => UserType, { nullable: true, description: 'the storekeeper who issued the parts' })
  issuedBy(@Root() doc: PartsRequisition, @Ctx() ctx: Context): Promise<User | null> | null {
    return doc.issuedById ? ctx.loaders.user.load(doc.issuedById) : null;
  }

  @FieldResolver(() => [ApprovalSignatureType], { description: 'Every signature of its approvals (approve, endorse, reject), in order' })
  approvals(@Root() doc: PartsRequisition, @Ctx() ctx: Context): Promise<ApprovalSignature[]> {
    return ctx.loaders.signatures.load(doc.id);
  }
}

@Resolver(() => PartLineType)
export class PartLineResolver {
  @FieldResolver(() => UserType, { nullable: true, description: 'the storekeeper who received the old part' })
  oldPartReceivedBy(@Root() line: PartLineType, @Ctx() ctx: Context): Promise<User | null> | null {
    return line.oldPartReceivedById ? ctx.loaders.user.load(line.oldPartReceivedById) : null;
  }
}
