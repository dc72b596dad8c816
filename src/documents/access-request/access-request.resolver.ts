import { listDocuments, NO_MATCH, OverdueFilter } from '../../graphql/document-list';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { Max, Min } from 'class-validator';
import { Connection } from '../../graphql/connection';
import type { Context } from '../../graphql/context';
import { toGlobalId } from '../../graphql/global-id';
import { DepartmentType } from '../../organisation/organisation.types';
import { Department } from '../../organisation/organisation.entities';
import { accessRequestDefinition } from './access-request.definition';
import { AccessLogEntry, AccessRequest } from './access-request.entity';
import { AccessRead, AccessRequestState, AccessRequestType } from './access-request.types';

export const AccessRequestConnection = Connection(AccessRequestType, 'AccessRequest');

@ArgsType()
class AccessRequestsArgs {
  @OverdueFilter() overdue?: boolean;
  @Field(() => Int, { nullable: true }) @Min(0) @Max(100) first?: number;
  @Field(() => String, { nullable: true }) after?: string;
  @Field(() => [AccessRequestState], { nullable: true }) state?: AccessRequestState[];
}

@Resolver(() => AccessRequestType)
export class AccessRequestResolver {
  @Query(() => AccessRequestConnection, { description: 'Access requests you made, or that your department decides' })
  async accessRequests(@Args(() => AccessRequestsArgs) args: AccessRequestsArgs, @Ctx() ctx: Context) {
    return listDocuments(ctx, accessRequestDefinition, args, (qb) => {
      if (args.state?.length) qb.andWhere('d.state IN (:...states)', { states: args.state });
    });
  }

  @FieldResolver(() => String, { nullable: true, description: 'the document asked for (global id), for a DOCUMENT target' })
  documentId(@Root() ar: AccessRequest): string | null {
    return ar.documentType && ar.documentId ? toGlobalId(ar.documentType, ar.documentId) : null;
  }

  @FieldResolver(() => DepartmentType, { nullable: true, description: 'the department asked for, for a DEPARTMENT target' })
  department(@Root() ar: AccessRequest, @Ctx() ctx: Context): Promise<Department | null> | null {
    return ar.departmentId ? ctx.loaders.department.load(ar.departmentId) : null;
  }

  @FieldResolver(() => [AccessRead], { description: 'Every read made through this grant, newest first' })
  async reads(@Root() ar: AccessRequest, @Arg('first', () => Int, { defaultValue: 100, description: 'at most 1000' }) first: number, @Ctx() ctx: Context): Promise<AccessRead[]> {
    const rows = await ctx.dataSource
      .getRepository(AccessLogEntry)
      .createQueryBuilder('l')
      .innerJoin('app_user', 'u', 'u.id = l.reader_id')
      .select(['l.reader_id AS reader_id', 'u.name AS reader_name', 'l.document_type AS document_type', 'l.document_id AS document_id', 'l.at AS at', 'l.request_id AS request_id'])
      .where('l.access_request_id = :id', { id: ar.id })
      .orderBy('l.id', 'DESC')
      .limit(Math.min(Math.max(first, 1), 1000))
      .getRawMany();
    return rows.map((r) => ({
      readerId: toGlobalId('User', r.reader_id),
      readerName: r.reader_name,
      documentType: r.document_type,
      documentId: toGlobalId(r.document_type, r.document_id),
      at: r.at,
      requestId: r.request_id,
    }));
  }
}
