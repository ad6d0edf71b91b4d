/**
 * Live events for `jit serve`: one watcher per corp with `sync.events` (and per implied corp of a
 * login still carrying it), each holding the corp's event connection (DingTalk: one Stream
 * connection). After a hot reload, `reload()` restarts only the watchers whose corp was rebuilt (its
 * config, or that of the login it names, changed), starts new ones and stops those switched off.
 *
 *   const watchers = await startCorpEventWatchers(app);
 *   ...
 *   await watchers.stop();   // before the app closes its database
 */
import type { AppHandle } from '../../runtime';
import { describeError } from './sync/failures';
import type { CorpType } from './CorpType';
import type { CorpEventWatcher, CorpWatcherStatus, WatchEventsOptions } from './events/corp-watcher';
import { readEventsStatus, type CorpEventsStatus } from './events/events-status';
import { corpDefinitions, eventCorps } from './resolve-corp';

export interface CorpEventWatchers {
  /** fullNames of the corps (or, for implied corps, logins) being watched. */
  readonly corps: readonly string[];
  /** Each running watcher's view of itself (this process). */
  status(): CorpWatcherStatus[];
  /** Re-reads which corps watch events; restarts those rebuilt by a hot reload. One reload at a time. */
  reload(): Promise<void>;
  /** Stops every watcher (each finishes and acks the event in hand). */
  stop(): Promise<void>;
}

export async function startCorpEventWatchers(app: AppHandle, options: WatchEventsOptions = {}): Promise<CorpEventWatchers> {
  const logger = app.logger.child({ component: 'org-events' });
  const running = new Map<string, { corp: CorpType; watcher: CorpEventWatcher }>();
  const warned = new Set<string>();
  let stopped = false;

  const converge = async () => {
    const wanted = new Map<string, CorpType>();
    for (const target of eventCorps(app)) {
      try {
        const corp = target.corp();
        if (!corp.supportsEvents) {
          if (!warned.has(target.fullName)) logger.warn('sync.events is set, but this corps Type has no live source of changes: the corp is synced on its schedule only', { corp: target.fullName });
          warned.add(target.fullName);
          continue;
        }
        if (target.implied && !warned.has(target.fullName)) {
          warned.add(target.fullName);
          logger.warn(`${target.implied.login} still carries "sync" in its login config: its live events are applied through an implied corp; make the real corp with: ${target.implied.command}`, { instance: target.fullName });
        }
        wanted.set(target.fullName, corp);
      } catch (err) {
        logger.error('cannot watch the live events of a corp', { corp: target.fullName, ...describeError(err) });
      }
    }
    for (const [name, entry] of [...running]) {
      if (wanted.get(name) === entry.corp) continue;
      running.delete(name);
      await entry.watcher.stop();
    }
    for (const [name, corp] of wanted) {
      if (running.has(name) || stopped) continue;
      try {
        const watcher = corp.watchEvents(options);
        await watcher.start();
        running.set(name, { corp, watcher });
      } catch (err) {
        logger.error('cannot watch the live events of a corp', { corp: name, ...describeError(err) });
      }
    }
  };

  await converge();
  let chain: Promise<void> = Promise.resolve();
  return {
    get corps() {
      return Object.freeze([...running.keys()]);
    },
    status: () => [...running.values()].map((entry) => entry.watcher.status),
    reload() {
      chain = chain.then(() => (stopped ? undefined : converge())).catch((err) => logger.error('reloading the event watchers failed', describeError(err)));
      return chain;
    },
    async stop() {
      stopped = true;
      await chain;
      const entries = [...running.values()];
      running.clear();
      await Promise.all(entries.map((entry) => entry.watcher.stop()));
    },
  };
}

/** The live-event state of every corp of the app (the admin route's answer): from the database, plus this process's watchers. */
export async function readStreamStatus(app: AppHandle, here: readonly CorpWatcherStatus[] = []): Promise<{ corps: Array<{ corp: string } & CorpEventsStatus>; thisProcess: CorpWatcherStatus[] }> {
  const names = new Map<string, CorpType>();
  for (const definition of corpDefinitions(app)) {
    try {
      names.set(definition.fullName, app.getElement<CorpType>(definition.fullName));
    } catch {
      // a corp that cannot load has no events to show
    }
  }
  for (const target of eventCorps(app)) if (!names.has(target.fullName)) names.set(target.fullName, target.corp());
  const corps = [];
  for (const [name, corp] of names) corps.push({ corp: name, ...(await readEventsStatus(corp.orgModel, corp.corpFullName, { enabled: corp.settings.sync.events })) });
  return { corps, thisProcess: [...here] };
}
