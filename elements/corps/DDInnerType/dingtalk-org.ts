/**
 * A DingTalk organisation as `getThirdCorpData()` yields it: the department tree is read first,
 * breadth-first from the root (`topapi/v2/department/listsub` gives one department's direct children
 * only), then each department's members, page by page (`topapi/v2/user/list`), as `{department,
 * members}` pieces. Department records are small; members are never all held at once. `onWalked`
 * hears of the whole tree between the two.
 */
import type { DDInnerClientApi, DDMember } from '../../../dingtalk/client/types';
import type { CorpDataChunk, CorpDataOptions } from '../sync/hooks';
import { memberPages } from './fetch-members';
import { walkDepartments } from './walk-departments';

export const DEFAULT_CONCURRENCY = 4;
export const DEFAULT_PAGE_SIZE = 100;

export async function* readDingTalkOrg(client: DDInnerClientApi, options: CorpDataOptions = {}): AsyncGenerator<CorpDataChunk<DDMember>> {
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const walk = await walkDepartments(client, { concurrency, signal: options.signal, onProgress: options.onDepartments });
  const byId = new Map(walk.departments.map((d) => [d.deptId, d]));
  // A department whose sub-departments could not be read: its subtree is unknown.
  for (const failure of walk.failures) yield { department: byId.get(failure.deptId)!, members: [], failure };
  // The whole tree before any member: a sync writes the departments now and links members as they come.
  await options.onWalked?.(walk.departments);
  yield* memberPages(client, walk.departments, { pageSize: options.pageSize ?? DEFAULT_PAGE_SIZE, concurrency, signal: options.signal });
}
