/**
 * Everything DingTalk clients of one loaded app share, and nothing they share with another app in
 * the same process: the app token cache, the call budget of each appKey (with its registration in
 * the database's lease group), and the metrics. A login Type gets its runtime from
 * `dingTalkRuntimeOf(app)` (app-runtime.ts); a library caller may make one with
 * `createDingTalkRuntime()` and pass it to each `new DDInnerClient({ runtime })` that should share it.
 * A client given none makes its own: then it shares nothing at all.
 */
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import { SecretRegistry, type LeaseStore, type Logger } from '../../runtime/core';
import { CallBudget, type BudgetStatus } from './budget';
import { BudgetMembership, type MembershipTiming } from './budget-membership';
import type { DingTalkLane } from './lanes';
import { DingTalkMetrics } from './metrics';
import { AppTokenCache } from './token-cache';

export interface DingTalkRuntimeOptions {
  /**
   * Where processes on one database register to split each app's budget (runtime/db leases). Omitted,
   * or a function answering undefined (no database): this process keeps each app's whole budget.
   */
  leases?: LeaseStore | (() => LeaseStore | undefined);
  logger?: Logger;
  /** How long a call may wait for a budget slot, per lane (ms); see budget.ts for the defaults. */
  deadlinesMs?: Partial<Record<DingTalkLane, number>>;
  /** Waiting calls per API at most. */
  maxQueue?: number;
  /** Added to DingTalk's 1-s window when spacing calls (ms, default 100). */
  windowGuardMs?: number;
  /** Registration timing in the lease group (ms): ttlMs, renewMs, idleMs. */
  membership?: Partial<MembershipTiming>;
  /** What this process is (e.g. `jit serve`), added to its host and pid in the leases table. */
  label?: string;
  /**
   * Where the clients' secrets (app secrets, app and user tokens) are registered: the app's registry
   * (`dingTalkRuntimeOf(app)`); omitted, one of this runtime's own, which masks them in its clients' errors.
   */
  secrets?: SecretRegistry;
}

interface AppBudget {
  budget: CallBudget;
  membership: BudgetMembership;
}

export class DingTalkRuntime {
  /** The app access tokens of this runtime's clients. */
  readonly tokens = new AppTokenCache();
  readonly metrics = new DingTalkMetrics();
  /** The secrets of this runtime's clients (see DingTalkRuntimeOptions.secrets). */
  readonly secrets: SecretRegistry;
  /** This runtime's id in the budget lease groups: unique per host, process and runtime. */
  readonly memberId: string;
  private readonly label: string;
  private readonly leases?: () => LeaseStore | undefined;
  private readonly budgets = new Map<string, AppBudget>();

  constructor(private readonly options: DingTalkRuntimeOptions = {}) {
    this.secrets = options.secrets ?? new SecretRegistry();
    const host = os.hostname();
    this.memberId = `${host}:${process.pid}:${randomBytes(4).toString('hex')}`;
    this.label = `${host} pid ${process.pid}${options.label ? ` (${options.label})` : ''}`;
    const { leases } = options;
    this.leases = leases === undefined ? undefined : typeof leases === 'function' ? leases : () => leases;
  }

  /** The budget of `appKey`, made on first use; `qps` (from `dingtalk.qps`) updates it when given. */
  budgetFor(appKey: string, qps?: number): CallBudget {
    return this.entryFor(appKey, qps).budget;
  }

  /** Waits for a slot to call `api` as `appKey` in `lane`; resolves with the ms waited (see CallBudget.take). */
  slot(appKey: string, api: string, lane: DingTalkLane): Promise<number> {
    const entry = this.entryFor(appKey);
    entry.membership.touch();
    return entry.budget.take(api, lane);
  }

  /** Registers `appKey`'s budget in its lease group now and recounts; resolves with the live members. */
  refreshShare(appKey: string): Promise<number> {
    return this.entryFor(appKey).membership.refresh();
  }

  /** Each app's budget: qps, live members sharing it, this process's share, calls waiting. */
  status(): BudgetStatus[] {
    return [...this.budgets.values()].map(({ budget }) => budget.status());
  }

  /** Leaves every lease group and stops renewing (the budgets keep working, unshared, if used again). */
  async close(): Promise<void> {
    await Promise.all([...this.budgets.values()].map(({ membership }) => membership.stop()));
  }

  private entryFor(appKey: string, qps?: number): AppBudget {
    let entry = this.budgets.get(appKey);
    if (!entry) {
      const budget = new CallBudget({
        appKey,
        qps,
        deadlinesMs: this.options.deadlinesMs,
        maxQueue: this.options.maxQueue,
        windowGuardMs: this.options.windowGuardMs,
        onEvent: (event) => this.metrics.record(event),
      });
      const membership = new BudgetMembership(budget, {
        ...this.options.membership,
        leases: this.leases,
        memberId: this.memberId,
        label: this.label,
        logger: this.options.logger,
      });
      entry = { budget, membership };
      this.budgets.set(appKey, entry);
    } else if (qps !== undefined && qps !== entry.budget.qps) {
      entry.budget.setQps(qps);
    }
    return entry;
  }
}

export function createDingTalkRuntime(options: DingTalkRuntimeOptions = {}): DingTalkRuntime {
  return new DingTalkRuntime(options);
}
