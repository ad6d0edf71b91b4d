/**
 * Hot reload and live events (what `jit serve --watch` does on each reload that changed elements):
 * switching `sync.events` off stops that corp's Stream connection, and on again starts one; a corp
 * whose config did not change keeps its connection (no reconnect, no second start-up catch-up).
 */
import * as path from 'node:path';
import type { App } from '../../runtime/app';
import { CORP_A, CORP_B } from '../helpers/demo-org';
import { readJson, writeJson } from '../helpers/login-app';
import { useSimulator } from '../helpers/simulator';
import { describeEachDatabase } from '../helpers/each-database';
import { ACME, GLOBEX, useLiveApp, waitUntilWatching, streamSimulatorOptions, waitFor } from './live-app';

jest.setTimeout(120_000);

describeEachDatabase('live events across a hot reload', (target) => {
  const sim = useSimulator(streamSimulatorOptions());
  // A copy of the fixture: the tests edit its config files.
  const live = useLiveApp(sim, target, { copy: true });
  const globexConfig = () => path.join(live.dir, 'corps', 'globex', 'globex.json');
  const connectionsOf = (appKey: string) => sim.stream.connections().filter((c) => c.appKey === appKey);
  const reload = async () => {
    await (live.app as App).reload();
    await live.watchers.reload();
  };

  beforeAll(async () => {
    await waitUntilWatching(live);
  });

  it('sync.events switched off stops the corp\'s connection; the other corp keeps its own', async () => {
    const acmeConnection = connectionsOf(CORP_A.appKey)[0].id;
    const config = readJson(globexConfig());
    writeJson(globexConfig(), { ...config, sync: { events: false } });
    await reload();
    expect(live.watchers.corps).toEqual([ACME]);
    await waitFor(() => connectionsOf(CORP_B.appKey).length === 0, "Globex's connection to close");
    expect(connectionsOf(CORP_A.appKey).map((c) => c.id)).toEqual([acmeConnection]);
    const { events } = await live.corp(GLOBEX).getStatus();
    expect(events).toMatchObject({ enabled: false, connected: false, watchers: [expect.objectContaining({ state: 'stopped' })] });
  });

  it('switched on again: a new watcher connects and catches up', async () => {
    writeJson(globexConfig(), { ...readJson(globexConfig()), sync: { events: true, catchUpAfterSeconds: 60 } });
    await reload();
    expect([...live.watchers.corps].sort()).toEqual([ACME, GLOBEX]);
    await waitUntilWatching(live);
    expect(live.watchers.status().find((s) => s.corp === GLOBEX)!.row).toMatchObject({ lastCatchUpReason: 'start', lastCatchUpOutcome: 'complete' });
    expect(connectionsOf(CORP_B.appKey)).toHaveLength(1);
    // Acme's watcher is the one started first: one start-up catch-up, never restarted.
    expect(live.watchers.status().find((s) => s.corp === ACME)!.row.reconnects).toBe(0);
  });

  it('a corp with its own authConfig (no login named) connects with those credentials', async () => {
    const before = sim.stream.counters().connectionsOpened;
    writeJson(globexConfig(), {
      authConfig: { appKey: CORP_B.appKey, appSecret: '{{DD_APP_SECRET_B}}', agentId: CORP_B.agentId, corpId: CORP_B.corpId },
      binding: { autoBind: true, match: [{ source: 'mobile', target: 'phone' }], whenNotAssociated: 'createUser' },
      sync: { events: true },
    });
    await reload();
    expect(live.corp(GLOBEX).authFullName).toBeNull();
    await waitFor(() => sim.stream.counters().connectionsOpened > before && connectionsOf(CORP_B.appKey).length === 1, 'the new connection');
    await waitUntilWatching(live);
    sim.removeMember(CORP_B.corpId, 'zhouba');
    await waitFor(async () => (await live.orgModel().findMember(GLOBEX, 'zhouba'))?.status === 'left', "the leaver of Globex's own app", 30_000);
  });
});
