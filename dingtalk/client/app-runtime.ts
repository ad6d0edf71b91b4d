/**
 * The DingTalk runtime of a loaded app: one per app object, made on first use and kept in a WeakMap
 * here (so `runtime/` stays DingTalk-free, and an app that is dropped takes its runtime with it).
 * Every DingTalk element of the app (its logins, its corps) gets its client's runtime from here, so
 * they share the app token cache and each appKey's call budget; two apps in one process share nothing.
 *
 * The budget registers in the app's database (lease group per appKey) when the app has one and it is
 * open; the login lane's queue deadline is kept under the host's request timeout.
 */
import type { Database, LeaseStore, Logger, SecretRegistry } from '../../runtime/core';
import { DEFAULT_LANE_DEADLINES_MS } from './budget';
import { createDingTalkRuntime, type DingTalkRuntime } from './dingtalk-runtime';
import { exportDingTalkMetrics, type MetricsRegistryLike } from './prometheus';

/** What of an app the runtime uses (an AppHandle has it). */
export interface DingTalkAppLike {
  /** Throws when the app was loaded with `database: false`. */
  readonly db: Database;
  readonly logger: Logger;
  /** The app's secret registry: the clients register their tokens there (an AppHandle has one). */
  readonly secrets?: SecretRegistry;
  readonly settings?: { readonly server?: { readonly requestTimeout?: number } };
  /** When the app has a metrics registry, the client's calls, throttles, waits and token fetches are counted there. */
  readonly metrics?: MetricsRegistryLike;
  /** When the app offers it, the runtime closes with the app (its budget leaves the lease group at once). */
  onClose?(hook: () => void | Promise<void>): void;
}

/**
 * How much of the request timeout one login call may spend waiting for its budget slot. In a 9:00
 * rush only the first API's queue is long (100 people at once queue about 5.5 s at DingTalk's 20
 * calls a second; the later calls of each login find short queues on other APIs), so 40% of the
 * request timeout (12 s of the default 30 s) lets the whole office wait instead of failing, and still
 * answers within the timeout.
 */
const LOGIN_WAIT_SHARE_OF_REQUEST_TIMEOUT = 0.4;

const runtimes = new WeakMap<object, DingTalkRuntime>();

export function dingTalkRuntimeOf(app: DingTalkAppLike): DingTalkRuntime {
  let runtime = runtimes.get(app);
  if (!runtime) {
    runtime = createDingTalkRuntime({
      logger: app.logger,
      secrets: app.secrets,
      leases: leasesOf(app),
      deadlinesMs: { login: loginDeadlineMs(app) },
    });
    runtimes.set(app, runtime);
    const created = runtime;
    const stopExport = app.metrics ? exportDingTalkMetrics(created.metrics, app.metrics) : () => undefined;
    app.onClose?.(() => {
      stopExport();
      return created.close();
    });
  }
  return runtime;
}

/** The lease store of the app's database while it is open; undefined without one (or once closed). */
function leasesOf(app: DingTalkAppLike): () => LeaseStore | undefined {
  let cached: { db: Database; store: LeaseStore } | undefined;
  return () => {
    let db: Database;
    try {
      db = app.db;
    } catch {
      return undefined; // loaded with database: false
    }
    if (!db.dataSource.isInitialized) return undefined;
    if (cached?.db !== db) {
      // Loaded when first needed: an app with a database has the persistence layer loaded already,
      // and a library caller of the client alone never pays for it.
      const { createLeaseStore } = require('../../runtime') as typeof import('../../runtime');
      cached = { db, store: createLeaseStore(db) };
    }
    return cached.store;
  };
}

function loginDeadlineMs(app: DingTalkAppLike): number {
  const seconds = app.settings?.server?.requestTimeout;
  const share = typeof seconds === 'number' && seconds > 0 ? seconds * 1000 * LOGIN_WAIT_SHARE_OF_REQUEST_TIMEOUT : Infinity;
  return Math.min(DEFAULT_LANE_DEADLINES_MS.login, share);
}
