/** Who reads which access requests: the requester, the deciding department's supervisors, agents and executives. */
import type { ReadPolicy } from '../../workflow/policy';

export const accessRequestPolicy: ReadPolicy = {
  departmentColumn: 'owning_department_id',
  requesterColumn: 'created_by_id',
  staffOnlyFields: [],
  // looked up without the requester's scope when the request is filed: showing it would tell whether a document exists
  undisclosed: ['owningDepartmentId'],
};
