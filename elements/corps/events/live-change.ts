/**
 * A live change of an organisation, as the corps family applies it: one event from the source (a
 * DingTalk contact event), already read into what the organisation says now. The source's own code
 * (DingTalk's, in DDInnerType/events/) reads the details the event names (events carry ids only);
 * the family applies them with the same code paths as a sync (events/apply-live-change.ts).
 */
import type { LeaverAction } from '../membership/end-membership';
import type { CorpDepartment, CorpMember } from '../sync/hooks';

/** What the organisation says now about one member an event named. */
export type LiveMemberFact<M extends CorpMember = CorpMember> =
  /** Listed now (read fresh): bound or created per policy, profile refreshed, membership (re)activated. */
  | { userid: string; kind: 'present'; member: M }
  /** No longer in the organisation: the membership ends, exactly as a sync's leaver's. */
  | { userid: string; kind: 'gone' }
  /** The event says they left, but the organisation still lists them: nothing ends. */
  | { userid: string; kind: 'stillMember' }
  /** The event says they joined or changed, but the organisation does not have them (they left since): nothing to do. */
  | { userid: string; kind: 'notFound' };

export interface LiveChange<M extends CorpMember = CorpMember> {
  /** The source's event id: the change is applied once per corp, whatever redelivers it. */
  eventId: string;
  eventType: string;
  /** When the change happened at the source. */
  bornAt: Date | null;
  members?: Array<LiveMemberFact<M>>;
  /** Departments as the organisation has them now (created or changed). */
  departments?: CorpDepartment[];
  /** Departments the organisation removed. */
  removedDepartments?: number[];
  /** Departments the event named that the organisation no longer has (removed since): nothing to do. */
  missingDepartments?: number[];
}

/** What became of one member an event named. */
export type LiveMemberResult =
  | { userid: string; result: 'added' | 'updated' | 'unchanged' | 'unbound' | 'offline'; changes?: string[] }
  | { userid: string; result: 'ended'; action: LeaverAction; reason?: string; userId: string | null; sessionsRevoked: number }
  /** A leaver the corp had no active membership or binding for (already ended, or never known). */
  | { userid: string; result: 'notMember' }
  | { userid: string; result: 'stillMember' }
  | { userid: string; result: 'notFound' }
  | { userid: string; result: 'failed'; code: string; message: string };

export type LiveChangeOutcome =
  /** The corp had applied this event already: nothing was written. */
  | { status: 'duplicate' }
  | {
      status: 'applied' | 'notApplied';
      /** `applied`, or the reason it (or a part of it) was not: `STILL_MEMBER` or an error code. */
      outcome: string;
      message: string | null;
      members: LiveMemberResult[];
      departments: { upserted: number[]; removed: number[]; missing: number[] };
    };

/** A leave the organisation contradicts: the member is still listed, so nobody was disabled. */
export const STILL_MEMBER = 'STILL_MEMBER';

/**
 * Error codes that no redelivery can mend: the event is acked, recorded with the code and shown in
 * `jit org status`, never asked for again and again (DECISIONS #13). DINGTALK_PERMISSION_DENIED is
 * among them: the app lacks a permission or the contacts scope until an operator fixes the console,
 * after which one org sync picks up what was missed (docs/org-sync.md). Everything else (DingTalk
 * unavailable or throttled, a database conflict) is transient: the event is asked for again.
 */
export const PERMANENT_LIVE_CHANGE_CODES: readonly string[] = Object.freeze(['AMBIGUOUS_MATCH', 'BINDING_REJECTED', 'DINGTALK_PERMISSION_DENIED']);
