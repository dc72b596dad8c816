/**
 * What a request's START and COMPLETE read from its tasks (SPEC §3.1): one
 * query, used by the request's facts and by the task effects that fire them.
 */
import type { EntityManager } from 'typeorm';
import { APPROVED_TASK_STATES, ServiceTaskState } from './service-task.enums';

export interface RequestTaskProgress {
  /** a task of the request is approved (and not sent back) */
  anyTaskApproved: boolean;
  /** at least one task completed, and every task not cancelled is completed */
  allTasksCompleted: boolean;
  /** tasks neither completed nor cancelled */
  openTasks: number;
}

/** A request that is not ACCEPTED or IN_SERVICE has no tasks (they are made from those states only). */
export const NO_TASKS: RequestTaskProgress = { anyTaskApproved: false, allTasksCompleted: false, openTasks: 0 };

export async function requestTaskProgress(manager: EntityManager, requestId: string): Promise<RequestTaskProgress> {
  const [row] = await manager.query(
    `SELECT count(*) FILTER (WHERE state = ANY($2))::int AS approved,
            count(*) FILTER (WHERE state = $3)::int AS completed,
            count(*) FILTER (WHERE state NOT IN ($3, $4))::int AS open
       FROM service_task WHERE request_id = $1`,
    [requestId, APPROVED_TASK_STATES, ServiceTaskState.COMPLETED, ServiceTaskState.CANCELLED],
  );
  return { anyTaskApproved: row.approved > 0, allTasksCompleted: row.completed > 0 && row.open === 0, openTasks: row.open };
}
