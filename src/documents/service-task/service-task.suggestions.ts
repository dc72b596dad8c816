/**
 * Technician suggestions (SPEC §3.10, seed 003: 根據工單的緊急程度和服務區域,確定負責維修的售後服務人員): the active
 * technicians of the task's (or the request's) department, ranked — qualified first (the assignment guard's own rule,
 * `qualificationProblems`, so a suggestion never disagrees with the guard), then those in the request's region, then
 * the least loaded (open tasks they are assigned to), then by name — each with the reasons. Those without the
 * qualification are listed last and flagged, with why, so the supervisor sees whose certificate to renew.
 * For the department's supervisors and customer service; nobody else (portal users never see technician data).
 */
import { GraphQLError } from 'graphql';
import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { hasRole, Role } from '../../auth/roles';
import type { Context } from '../../graphql/context';
import { idOf } from '../../graphql/global-id';
import { User } from '../../organisation/organisation.entities';
import { UserType } from '../../organisation/organisation.types';
import { definitionOf } from '../../workflow/registry';
import { serviceTaskDefinition } from './service-task.definition';
import type { ServiceTask } from './service-task.entity';
import { qualificationProblems } from './service-task.qualification';

/** the tasks that make a technician's load: submitted for approval up to awaiting the customer's acceptance */
export const OPEN_TASK_STATES = ['PENDING_APPROVAL', 'PENDING_EXECUTIVE', 'ASSIGNED', 'CONFIRMED', 'IN_PROGRESS', 'AWAITING_ACCEPTANCE'];

@ObjectType({ description: 'A technician suggested for a task, with the reasons of the rank (staff only: supervisors of the department and customer service)' })
export class TechnicianSuggestion {
  @Field(() => Int, { description: '1 is the best' }) rank: number;
  @Field(() => UserType) technician: User;
  @Field(() => String, { nullable: true }) regionCode: string | null;
  @Field({ description: 'the technician\'s region is the request\'s' }) regionMatch: boolean;
  @Field(() => String, { nullable: true, description: 'the qualification the service type needs (null: none)' }) requiredQualification: string | null;
  @Field({ description: 'may be assigned: holds a valid certificate of the required qualification, or none is needed' }) qualified: boolean;
  @Field(() => String, { nullable: true, description: 'why not qualified' }) qualificationProblem: string | null;
  @Field(() => Int, { description: 'open tasks assigned to the technician (submitted for approval up to awaiting acceptance)' }) openTasks: number;
  @Field(() => [String], { description: 'the reasons of the rank, in the order they weigh' }) reasons: string[];
}

const fail = (message: string, code: string, field?: string) => new GraphQLError(message, { extensions: { code, ...(field ? { field } : {}) } });

@Resolver(() => TechnicianSuggestion)
export class TechnicianSuggestionResolver {
  @FieldResolver(() => UserType)
  technician(@Root() s: TechnicianSuggestion): User {
    return s.technician;
  }

  @Query(() => [TechnicianSuggestion], {
    nullable: true,
    description: 'The department\'s active technicians ranked for a task (taskId) or for a request about to get one (requestId): qualified first, then in the request\'s region, then the least loaded. For the department\'s supervisors and customer service; null when the task or request is not one you can see (as for one that does not exist).',
  })
  async suggestTechnicians(
    @Ctx() ctx: Context,
    @Arg('taskId', () => ID, { nullable: true }) taskId?: string | null,
    @Arg('requestId', () => ID, { nullable: true }) requestId?: string | null,
    @Arg('first', () => Int, { nullable: true, description: 'at most this many (the page-size cap)' }) first?: number | null,
  ): Promise<TechnicianSuggestion[] | null> {
    const { caller } = ctx;
    const isAgent = hasRole(caller, Role.AGENT);
    if (!isAgent && !hasRole(caller, Role.SUPERVISOR)) throw fail('Only the department\'s supervisors and customer service see technician suggestions.', 'FORBIDDEN');
    if (!!taskId === !!requestId) throw fail('Give either taskId or requestId.', 'VALIDATION', taskId ? 'requestId' : 'taskId');
    if (first != null && (first < 0 || first > ctx.config.maxPageSize)) throw fail(`first must be between 0 and ${ctx.config.maxPageSize}`, 'VALIDATION', 'first');

    // the task or request within the caller's read scope: out of scope answers like one that does not exist
    let target: { requestId: string; departmentId: string | null; plannedEnd: Date | null; taskId: string | null };
    if (taskId) {
      const task = (await ctx.engine.findVisible(serviceTaskDefinition, caller, idOf(taskId, 'ServiceTask'))) as ServiceTask | null;
      if (!task) return null;
      target = { requestId: task.requestId, departmentId: task.departmentId, plannedEnd: task.plannedEnd, taskId: task.id };
    } else {
      const request = (await ctx.engine.findVisible(definitionOf('ServiceRequest')!, caller, idOf(requestId, 'ServiceRequest'))) as { id: string; targetDepartmentId: string | null } | null;
      if (!request) return null;
      target = { requestId: request.id, departmentId: request.targetDepartmentId, plannedEnd: null, taskId: null };
    }
    if (!target.departmentId) throw fail('The request has not been routed to a department yet.', 'VALIDATION', 'requestId');
    if (!isAgent && caller.departmentId !== target.departmentId) throw fail('Only the department\'s supervisors and customer service see technician suggestions.', 'FORBIDDEN');

    const manager = ctx.dataSource.manager;
    const [request] = await manager.query(
      `SELECT q.region_code, q.service_type, sq.qualification_code FROM service_request q LEFT JOIN service_type_qualification sq ON sq.service_type = q.service_type WHERE q.id = $1`,
      [target.requestId],
    );
    const candidates: Array<{ id: string; region_code: string | null; open_tasks: number }> = await manager.query(
      `SELECT u.id, u.region_code,
              (SELECT count(*) FROM service_task t WHERE t.assignee_id = u.id AND t.state = ANY($2) AND t.id IS DISTINCT FROM $3::uuid)::int AS open_tasks
         FROM app_user u
        WHERE u.department_id = $1 AND u.active AND 'TECHNICIAN' = ANY(u.roles)`,
      [target.departmentId, OPEN_TASK_STATES, target.taskId],
    );
    const now = ctx.config.clock();
    const [problems, users] = await Promise.all([
      qualificationProblems(manager, candidates.map((c) => ({ requestId: target.requestId, assigneeId: c.id, plannedEnd: target.plannedEnd })), now),
      ctx.loaders.user.loadMany(candidates.map((c) => c.id)),
    ]);
    const region: string | null = request?.region_code ?? null;
    const required: string | null = request?.qualification_code ?? null;
    const ranked = candidates
      .map((c, i) => ({ c, user: users[i] as User, problem: problems[i], regionMatch: !!region && c.region_code === region }))
      .sort(
        (a, b) =>
          Number(a.problem !== null) - Number(b.problem !== null) ||
          Number(b.regionMatch) - Number(a.regionMatch) ||
          a.c.open_tasks - b.c.open_tasks ||
          a.user.name.localeCompare(b.user.name),
      );
    return ranked.slice(0, first ?? ctx.config.defaultPageSize).map(({ c, user, problem, regionMatch }, i) => ({
      rank: i + 1,
      technician: user,
      regionCode: c.region_code,
      regionMatch,
      requiredQualification: required,
      qualified: problem === null,
      qualificationProblem: problem,
      openTasks: c.open_tasks,
      reasons: [
        problem ?? (required ? `holds a valid ${required} certificate` : `a ${request?.service_type} service needs no certificate`),
        region ? (regionMatch ? `in the request's region ${region}` : `outside the request's region ${region} (${c.region_code ?? 'no region'})`) : 'the request has no region',
        `${c.open_tasks} open task${c.open_tasks === 1 ? '' : 's'}`,
      ],
    }));
  }
}
