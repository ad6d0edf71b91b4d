/**
 * The members of the walked departments, page by page: `topapi/v2/user/list` pages through one
 * department's direct members by cursor (size <= 100). Pages are yielded as they arrive, each as a
 * `{department, members}` piece, so a consumer holds no more than a few pages at a time (the fetchers
 * wait while too many pieces are unread). A department with no members yields one empty piece. A
 * page that fails (after the client's retries) ends that department's paging, as a piece carrying
 * the failure: the members after it are unknown, so the run is incomplete.
 */
import { JitError } from '../../../runtime';
import { DINGTALK_ERRORS } from '../../../dingtalk/error-codes';
import type { DDInnerClientApi, DDMember } from '../../../dingtalk/client/types';
import { describeError } from '../sync/failures';
import type { CorpDataChunk, CorpDepartment } from '../sync/hooks';
import { WorkPool } from './work-pool';

export interface FetchOptions {
  pageSize: number;
  concurrency: number;
  signal?: AbortSignal;
}

/**
 * Unread pieces at which fetchers pause, per worker. A sync writes members while they are read, and
 * a chunk's write must not stall the reading (the budget's seconds are the run's time): 12 pages per
 * worker (48 pages, 4,800 members, a few MB, whatever the org's size) let the reading run on through
 * several chunks' writes on a busy machine.
 */
const HIGH_WATER_PER_WORKER = 12;

export async function* memberPages(client: DDInnerClientApi, departments: readonly CorpDepartment[], options: FetchOptions): AsyncGenerator<CorpDataChunk<DDMember>> {
  const ready: Array<CorpDataChunk<DDMember>> = [];
  const highWater = options.concurrency * HIGH_WATER_PER_WORKER;
  let wakeReader: (() => void) | undefined;
  const roomWaiters: Array<() => void> = [];
  const push = (chunk: CorpDataChunk<DDMember>) => {
    ready.push(chunk);
    wakeReader?.();
  };
  const room = async () => {
    while (ready.length >= highWater) await new Promise<void>((resolve) => roomWaiters.push(resolve));
  };

  const pool = new WorkPool<CorpDepartment>(
    options.concurrency,
    async (department) => {
      const { deptId } = department;
      const cursors = new Set<number>();
      let cursor = 0;
      for (;;) {
        await room();
        options.signal?.throwIfAborted();
        cursors.add(cursor);
        try {
          const page = await client.listDepartmentMembers(deptId, cursor, options.pageSize);
          push({ department, members: page.list });
          if (!page.has_more) break;
          const next = page.next_cursor;
          // A cursor seen before would page forever; treat it as a failed page, not the end.
          if (typeof next !== 'number' || cursors.has(next)) {
            throw DINGTALK_ERRORS.error('DINGTALK_API_ERROR', `topapi/v2/user/list said has_more but gave ${next === undefined ? 'no' : 'a repeated'} next_cursor`, { deptId, cursor });
          }
          cursor = next;
        } catch (err) {
          if (options.signal?.aborted) throw err;
          push({ department, members: [], failure: { kind: 'memberPage', deptId, cursor, ...describeError(err) } });
          break;
        }
      }
    },
    options.signal,
  );
  for (const department of departments) pool.add(department);

  let finished = false;
  let failure: unknown;
  void pool.drain().then(
    () => (finished = true),
    (err) => {
      failure = err;
      finished = true;
    },
  ).finally(() => wakeReader?.());

  for (;;) {
    if (ready.length > 0) {
      yield ready.shift()!;
      roomWaiters.shift()?.();
      continue;
    }
    if (finished) {
      if (failure !== undefined) throw failure;
      return;
    }
    await new Promise<void>((resolve) => (wakeReader = resolve));
    wakeReader = undefined;
  }
}
