/**
 * The summary is bounded (#12): whatever the organisation's size, each list keeps its first
 * SUMMARY_LIST_LIMIT entries by userid and says it was cut; the counts stay whole.
 */
import { SUMMARY_LIST_LIMIT, SummaryCollector, formatSummary } from '../../elements/corps/sync/summary';

const header = { corp: 'corps.big', corpId: 'dingbig', runId: 'run-1', dryRun: false, startedAt: new Date(), departments: { add: [], update: [], unchanged: 1, remove: [] } };
const uid = (n: number) => `u${String(n).padStart(6, '0')}`;

describe('the sync summary', () => {
  it('keeps counts of everything and the first entries of each list, by userid, however they arrive', () => {
    const collector = new SummaryCollector();
    // Arriving in reverse (and interleaved), as concurrent fetches may list them.
    for (let n = 5000; n >= 1; n--) {
      if (n % 10 === 0) collector.member({ kind: 'updated', userid: uid(n), name: `n${n}`, userId: `id${n}`, changes: ['user.displayName'] });
      else if (n % 7 === 0) collector.member({ kind: 'failed', userid: uid(n), name: `n${n}`, code: 'AMBIGUOUS_MATCH', message: 'two' });
      else collector.member({ kind: 'added', userid: uid(n), name: `n${n}`, binding: 'created', userId: `id${n}`, username: uid(n) });
    }
    for (let n = 1; n <= 300; n++) collector.leaver({ userid: uid(9000 + n), name: 'x', action: 'disable', userId: `l${n}`, username: uid(9000 + n), sessionsRevoked: 0 });
    const summary = collector.build(header);
    expect(summary.members).toMatchObject({ listed: 5000, updated: 500, left: 300, disabled: 300 });
    expect(summary.members.added + summary.members.failed).toBe(4500);
    expect(summary.added).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(summary.added.map((a) => a.userid)).toEqual([...summary.added.map((a) => a.userid)].sort());
    expect(summary.added[0].userid).toBe(uid(1));
    expect(summary.updated.map((u) => u.userid).slice(0, 3)).toEqual([uid(10), uid(20), uid(30)]);
    expect(summary.disabled).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(summary.failures).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(summary.failureCount).toBe(summary.members.failed);
    expect(summary.truncated).toBe(true);
    // Lines for people say how many more there are, and that --json lists only the first ones.
    expect(formatSummary(summary)).toContain(`  ... and ${summary.members.added - 20} more (--json lists the first ${SUMMARY_LIST_LIMIT})`);
  });

  it('is whole, and says so, when every list fits', () => {
    const collector = new SummaryCollector();
    for (let n = 1; n <= SUMMARY_LIST_LIMIT; n++) collector.member({ kind: 'added', userid: uid(n), name: 'n', binding: 'autoBound', userId: null, username: null });
    collector.fetchFailure({ kind: 'memberPage', deptId: 3, cursor: 0, code: 'DINGTALK_UNAVAILABLE', message: 'down' });
    const summary = collector.build(header);
    expect(summary.added).toHaveLength(SUMMARY_LIST_LIMIT);
    expect(summary.truncated).toBe(false);
    expect(summary.complete).toBe(false);
    expect(summary.failureCount).toBe(1);
    expect(formatSummary(summary)).toContain(`  ... and ${SUMMARY_LIST_LIMIT - 20} more (--json lists all)`);
  });
});
