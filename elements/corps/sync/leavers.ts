/**
 * Members who left: a complete run's leavers are the corp's active members it did not stamp (the run
 * stamp on corp_members, read page by page, so no run holds a set of every userid), and the members
 * the corp has a binding for but never recorded (bound by a login, never listed). Each one's
 * membership ends by the rules of ../membership/end-membership.ts: binding marked left, the sessions
 * through it revoked, the user disabled only when we provisioned it and no binding is left.
 *
 * A membership that changed after the run started (a live event, an operator) is newer than what the
 * run read, and is left as it is.
 *
 * Nothing is done when the walk was incomplete (a department or a page failed: the member may only be
 * hidden by the failure) or listed nobody at all (a contacts scope misconfigured in the DingTalk
 * console looks like that). A membership already ended is not looked at again, so a second run writes
 * nothing, and an administrator who re-enables a leaver is not overruled.
 */
import { endMembership, type EndedMembership } from '../membership/end-membership';
import type { CorpMember } from './hooks';
import type { LocalSnapshot } from './local-state';
import type { RunContext } from './sync-context';

export type Leaver = EndedMembership;

export interface LeaverCheck {
  /** Why no leaver was looked for, when the run cannot tell who left. */
  skipped?: string;
}

/** Rows per page while looking for leavers. */
const PAGE = 500;

/** Whether this run may look for leavers at all. */
export function checkLeavers(listed: number, fetchFailures: number): LeaverCheck {
  if (fetchFailures > 0) {
    return { skipped: `${fetchFailures} fetch${fetchFailures === 1 ? '' : 'es'} failed, so the member list is incomplete: nobody is disabled in this run` };
  }
  if (listed === 0) return { skipped: "the organisation listed no members (check the app's contacts scope in the DingTalk console): nobody is disabled" };
  return {};
}

/** A dry run's leavers: decided from the snapshot and the members listed, nothing written. */
export async function planLeavers<M extends CorpMember>(ctx: RunContext<M>, snapshot: LocalSnapshot, listed: ReadonlySet<string>, at: Date): Promise<Leaver[]> {
  const gone = new Set<string>();
  for (const [userid, membership] of snapshot.memberships) if (membership.status === 'active' && !listed.has(userid)) gone.add(userid);
  for (const [userid, binding] of snapshot.bindings) if (!snapshot.memberships.has(userid) && binding.leftAt == null && !listed.has(userid)) gone.add(userid);
  const leavers: Leaver[] = [];
  for (const userid of [...gone].sort()) {
    const leaver = await endMembership(ctx, userid, 'left', at, { planOnly: true });
    if (leaver) leavers.push(leaver);
  }
  return leavers;
}

/**
 * A real run's leavers, found by the run stamp and ended one transaction each; each is handed to
 * `onLeaver` as it ends (nothing is kept here). `failed`: members this run listed but could not
 * write (few), who are not leavers even without a membership row yet.
 */
export async function applyLeavers<M extends CorpMember>(
  ctx: RunContext<M>,
  failed: ReadonlySet<string>,
  at: Date,
  options: { signal?: AbortSignal; onLeaver?: (leaver: Leaver) => void } = {},
): Promise<void> {
  const end = async (userid: string) => {
    options.signal?.throwIfAborted();
    // A membership changed after the run began (a live event added them back) is newer than the snapshot.
    const leaver = await endMembership(ctx, userid, 'left', at, { unlessChangedAfter: ctx.startedAt });
    if (leaver) options.onLeaver?.(leaver);
  };
  for (let after: string | undefined; ; ) {
    const page = await ctx.orgModel.listUnstamped(ctx.corpFullName, ctx.runId, { after, limit: PAGE });
    for (const row of page) await end(row.userid);
    if (page.length < PAGE) break;
    after = page[page.length - 1].userid;
  }
  for (let after: string | undefined; ; ) {
    const page = await ctx.hooks.listUnrecordedBindings({ after, limit: PAGE });
    for (const { userid } of page) if (!failed.has(userid)) await end(userid);
    if (page.length < PAGE) break;
    after = page[page.length - 1].userid;
  }
}
