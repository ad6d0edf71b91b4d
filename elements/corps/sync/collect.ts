/**
 * A dry run's reading (a real run streams instead: run-org-sync.ts): the whole organisation through
 * the Type's `getThirdCorpData()`, kept in memory, because a dry run writes nothing, not even the
 * run stamps that let a real run recognise members it has seen. Keeps, per member, the record as
 * first listed and the departments they were listed in (a person in several departments is listed
 * once per department and kept once, by userid). Fetch failures are collected: any makes the run
 * incomplete.
 */
import type { CorpDataOptions, CorpDepartment, CorpMember, CorpSyncHooks } from './hooks';
import type { FetchFailure } from './failures';
import type { ListedMember } from './member-diff';

export interface SeenMember<M extends CorpMember> {
  member: M;
  listedIn: Set<number>;
}

export interface CollectedOrg<M extends CorpMember> {
  /** In the order found (parents before children for a breadth-first walk). */
  departments: CorpDepartment[];
  /** By userid, in the order first seen. */
  members: Map<string, SeenMember<M>>;
  failures: FetchFailure[];
}

export interface CollectProgress {
  departments: number;
  departmentsListed: number;
  members: number;
}

export async function collectCorpData<M extends CorpMember>(
  hooks: CorpSyncHooks<M>,
  options: Omit<CorpDataOptions, 'onDepartments'>,
  onProgress: (progress: Partial<CollectProgress> & { phase: 'departments' | 'members' }) => void,
): Promise<CollectedOrg<M>> {
  const departments = new Map<number, CorpDepartment>();
  const members = new Map<string, SeenMember<M>>();
  const failures: FetchFailure[] = [];
  let found = 0;
  const data = hooks.getThirdCorpData({ ...options, onDepartments: (n) => onProgress({ phase: 'departments', departments: (found = n) }) });
  for await (const chunk of data) {
    options.signal?.throwIfAborted();
    const { department } = chunk;
    if (!departments.has(department.deptId)) departments.set(department.deptId, department);
    if (chunk.failure) failures.push(chunk.failure);
    for (const member of chunk.members) {
      const seen = members.get(member.userid);
      if (seen) seen.listedIn.add(department.deptId);
      else members.set(member.userid, { member, listedIn: new Set([department.deptId]) });
    }
    onProgress({ phase: 'members', departments: Math.max(found, departments.size), departmentsListed: departments.size, members: members.size });
  }
  return { departments: [...departments.values()], members, failures };
}

/**
 * Members as listed, each with the departments they are in: where they were listed, plus those of
 * their `dept_id_list` the walk found (a page that failed may hide one of their departments; one
 * outside the app's contacts scope is not linked). `complete`: every fetch succeeded.
 */
export function listedMembers<M extends CorpMember>(collected: CollectedOrg<M>, complete: boolean): ListedMember<M>[] {
  const walked = new Set(collected.departments.map((d) => d.deptId));
  return [...collected.members.values()].map(({ member, listedIn }) => {
    const deptIds = new Set(listedIn);
    for (const deptId of member.dept_id_list ?? []) if (walked.has(deptId)) deptIds.add(deptId);
    return { member, deptIds: [...deptIds].sort((a, b) => a - b), partial: !complete };
  });
}
