/**
 * A DingTalk contact event, read into the live change the corps family applies. Contact events carry
 * ids only (docs/events.md), so the details come from the same APIs a sync reads:
 *
 *   user_add_org, user_active_org, user_modify_org   topapi/v2/user/get for each userid: the member
 *                                                    as DingTalk has them now (bound or created per
 *                                                    policy, profile refreshed, membership active)
 *   user_leave_org                                   topapi/v2/user/get first: only a member DingTalk
 *                                                    no longer finds (60121) has left; one it still
 *                                                    lists is not disabled (a stale or forged leave)
 *   org_dept_create, org_dept_modify                 topapi/v2/department/get for each deptId
 *   org_dept_remove                                  nothing to read (a removed department cannot be)
 *
 * Reading the member now, rather than trusting the event's diff, makes a late or repeated event
 * harmless: it writes what DingTalk says at the time it is applied. Other event types (admin
 * changes, role labels, org info) are not applied: null.
 */
import { isJitError } from '../../../../runtime';
import type { DDDepartmentDetail, DDInnerClientApi, DDMember } from '../../../../dingtalk/client/types';
import type { StreamEvent } from '../../../../dingtalk/stream/events';
import type { LiveChange, LiveMemberFact } from '../../events/live-change';
import type { CorpDepartment } from '../../sync/hooks';
import { ROOT_DEPT_ID } from '../walk-departments';

/** The contact events a DingTalk corp applies. */
export const APPLIED_EVENT_TYPES: readonly string[] = Object.freeze([
  'user_add_org',
  'user_active_org',
  'user_modify_org',
  'user_leave_org',
  'org_dept_create',
  'org_dept_modify',
  'org_dept_remove',
]);

/** DingTalk's errcode for a department that does not exist (any more). */
const DEPARTMENT_NOT_FOUND = 60003;

export async function readLiveChange(client: DDInnerClientApi, event: StreamEvent): Promise<LiveChange<DDMember> | null> {
  if (event.kind !== 'contact') return null;
  const base = { eventId: event.eventId, eventType: event.eventType, bornAt: event.eventBornTime > 0 ? new Date(event.eventBornTime) : null };
  switch (event.eventType) {
    case 'user_add_org':
    case 'user_active_org':
    case 'user_modify_org': {
      const members: Array<LiveMemberFact<DDMember>> = [];
      for (const userid of unique(event.data.userId)) {
        const member = await readMember(client, userid);
        members.push(member ? { userid, kind: 'present', member } : { userid, kind: 'notFound' });
      }
      return { ...base, members };
    }
    case 'user_leave_org': {
      const members: Array<LiveMemberFact<DDMember>> = [];
      for (const userid of unique(event.data.userId)) members.push((await readMember(client, userid)) ? { userid, kind: 'stillMember' } : { userid, kind: 'gone' });
      return { ...base, members };
    }
    case 'org_dept_create':
    case 'org_dept_modify': {
      const departments: CorpDepartment[] = [];
      const missingDepartments: number[] = [];
      // The root's own record is read by the corp itself (getRootDept); its row keeps what a sync writes.
      for (const deptId of unique(event.data.deptId).filter((id) => id !== ROOT_DEPT_ID)) {
        const detail = await readDepartment(client, deptId);
        if (detail) departments.push(toDepartment(detail));
        else missingDepartments.push(deptId);
      }
      return { ...base, departments, missingDepartments };
    }
    case 'org_dept_remove':
      return { ...base, removedDepartments: unique(event.data.deptId).filter((id) => id !== ROOT_DEPT_ID) };
    default:
      return null;
  }
}

/** The member record, or null when DingTalk has no such member (60121 / 33012). */
async function readMember(client: DDInnerClientApi, userid: string): Promise<DDMember | null> {
  try {
    return await client.getMember(userid);
  } catch (err) {
    if (isJitError(err, 'NOT_CORP_MEMBER')) return null;
    throw err;
  }
}

async function readDepartment(client: DDInnerClientApi, deptId: number): Promise<DDDepartmentDetail | null> {
  try {
    return await client.getDepartment(deptId);
  } catch (err) {
    if (isJitError(err) && err.details.errcode === DEPARTMENT_NOT_FOUND) return null;
    throw err;
  }
}

function toDepartment(detail: DDDepartmentDetail): CorpDepartment {
  return { deptId: detail.dept_id, name: detail.name, parentId: detail.parent_id ?? null, order: detail.order ?? null };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
