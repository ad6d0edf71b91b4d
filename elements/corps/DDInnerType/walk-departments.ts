/**
 * The department tree, read breadth-first from the root: `topapi/v2/department/listsub` returns the
 * direct children of one department only, so every department found is asked for its own children.
 * A department whose children could not be read (after the client's retries) is recorded as a
 * failure and its subtree stays unknown; the walk goes on with the rest.
 */
import type { DDInnerClientApi } from '../../../dingtalk/client/types';
import { describeError, type FetchFailure } from '../sync/failures';
import type { CorpDepartment } from '../sync/hooks';
import { WorkPool } from './work-pool';

/** DingTalk's root department. */
export const ROOT_DEPT_ID = 1;

/** Empty name for the root (listsub never returns the root's own record); DingTalk's order when sent, else the position among its siblings. */
export type WalkedDepartment = CorpDepartment;

export interface DepartmentWalk {
  /** Root first, then in the order found (breadth-first, so parents before their children). */
  departments: WalkedDepartment[];
  failures: FetchFailure[];
}

export interface WalkOptions {
  concurrency: number;
  signal?: AbortSignal;
  /** Called after each listsub call with the number of departments found so far. */
  onProgress?: (found: number) => void;
}

export async function walkDepartments(client: DDInnerClientApi, options: WalkOptions): Promise<DepartmentWalk> {
  const root: WalkedDepartment = { deptId: ROOT_DEPT_ID, name: '', parentId: null, order: null };
  const departments: WalkedDepartment[] = [root];
  const seen = new Set<number>([ROOT_DEPT_ID]);
  const failures: FetchFailure[] = [];

  const pool = new WorkPool<number>(
    options.concurrency,
    async (deptId, queue) => {
      try {
        const children = await client.listSubDepartments(deptId);
        children.forEach((child, position) => {
          // A department listed twice (or a cycle in bad data) is walked once.
          if (seen.has(child.dept_id)) return;
          seen.add(child.dept_id);
          departments.push({ deptId: child.dept_id, name: child.name, parentId: deptId, order: child.order ?? position });
          queue.add(child.dept_id);
        });
      } catch (err) {
        failures.push({ kind: 'subDepartments', deptId, ...describeError(err) });
      }
      options.onProgress?.(departments.length);
    },
    options.signal,
  );
  pool.add(ROOT_DEPT_ID);
  await pool.drain();
  return { departments, failures };
}
