/**
 * The lanes of the call budget's queue, in priority order: when an app's calls to one DingTalk API
 * must wait for a slot, a person signing in goes first, then live contact events, then the org sync,
 * then `jit doctor`'s checks. A call says its lane (DDInnerClient option `lane`, or
 * `client.inLane('sync')`); a call that says nothing is a login.
 */
import { JitError } from '../../runtime/core';

export const DINGTALK_LANES = ['login', 'events', 'sync', 'doctor'] as const;

export type DingTalkLane = (typeof DINGTALK_LANES)[number];

export const DEFAULT_LANE: DingTalkLane = 'login';

/** 0 for login (served first), 3 for doctor. */
export function lanePriority(lane: DingTalkLane): number {
  return DINGTALK_LANES.indexOf(lane);
}

export function checkLane(value: unknown, field = 'lane'): DingTalkLane {
  if (typeof value === 'string' && (DINGTALK_LANES as readonly string[]).includes(value)) return value as DingTalkLane;
  throw new JitError('CONFIG_INVALID', `DingTalk client option ${field} must be one of ${DINGTALK_LANES.join(', ')}, got ${JSON.stringify(value)}`);
}
