/**
 * Every member of the walked departments: `topapi/v2/user/list` pages through one department's direct
 * members by cursor (size <= 100). A person in several departments is listed once per department
 * and kept once, by userid, with the set of departments they were listed in. A page that fails
 * (after the client's retries) ends that department's paging: the members after it are unknown, so
 * the failure makes the run incomplete.
 */
import { JitError } from '../../../runtime/errors';
import type { DDInnerClientApi, DDMember } from '../../../dingtalk/client/types';
import { describeError, type FetchFailure } from './failures';
import { WorkPool } from './work-pool';

export interface SeenMember {
  /** The member record as first listed. */
  member: DDMember;
  /** The departments the member was listed in. */
  listedIn: Set<number>;
}

export interface MemberFetch {
  /** By userid, in the order first seen. */
  members: Map<string, SeenMember>;
  failures: FetchFailure[];
}

export interface FetchOptions {
  pageSize: number;
  concurrency: number;
  signal?: AbortSignal;
  /** Called after each page with the departments fully read and the distinct members so far. */
  onProgress?: (progress: { departmentsDone: number; members: number }) => void;
}

export async function fetchMembers(client: DDInnerClientApi, deptIds: readonly number[], options: FetchOptions): Promise<MemberFetch> {
  const members = new Map<string, SeenMember>();
  const failures: FetchFailure[] = [];
  let departmentsDone = 0;

  const collect = (deptId: number, list: DDMember[]) => {
    for (const member of list) {
      const seen = members.get(member.userid);
      if (seen) seen.listedIn.add(deptId);
      else members.set(member.userid, { member, listedIn: new Set([deptId]) });
    }
  };

  const pool = new WorkPool<number>(
    options.concurrency,
    async (deptId) => {
      const cursors = new Set<number>();
      let cursor = 0;
      for (;;) {
        options.signal?.throwIfAborted();
        cursors.add(cursor);
        try {
          const page = await client.listDepartmentMembers(deptId, cursor, options.pageSize);
          collect(deptId, page.list);
          options.onProgress?.({ departmentsDone, members: members.size });
          if (!page.has_more) break;
          const next = page.next_cursor;
          // A cursor seen before would page forever; treat it as a failed page, not the end.
          if (typeof next !== 'number' || cursors.has(next)) {
            throw new JitError('DINGTALK_API_ERROR', `topapi/v2/user/list said has_more but gave ${next === undefined ? 'no' : 'a repeated'} next_cursor`, { deptId, cursor });
          }
          cursor = next;
        } catch (err) {
          failures.push({ kind: 'memberPage', deptId, cursor, ...describeError(err) });
          break;
        }
      }
      departmentsDone++;
      options.onProgress?.({ departmentsDone, members: members.size });
    },
    options.signal,
  );
  for (const deptId of deptIds) pool.add(deptId);
  await pool.drain();
  return { members, failures };
}
