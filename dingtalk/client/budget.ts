/**
 * The call budget of one DingTalk app (one appKey): DingTalk allows each app 20 calls per second per
 * API (60 on the paid tier) and rejects the rest (88/90018) rather than queueing them, so the client
 * paces itself under that budget instead of relying on retries (docs/dingtalk-facts.md §9).
 *
 * - Accounting, per API: at most `share` call starts in any window of 1 s + a guard, by spacing
 *   starts at least (1000 + guardMs) / share ms apart. Even spacing holds whichever way DingTalk cuts
 *   its 1-second windows (calendar seconds or sliding), which a per-second counter would not (20 at
 *   the end of one window and 20 at the start of the next make 40 in one second). The guard absorbs
 *   the network's jitter between our clock and DingTalk's. The slot bookkeeping is rate-limiter-flexible's
 *   RateLimiterMemory (one point per slot, expiring after the spacing): it answers "may a call start
 *   now, and if not, in how many ms", with its own expiring records, instead of a hand-kept ledger.
 * - Queue, ours: a call that finds no free slot waits in its lane (login, events, sync, doctor, served
 *   in that order; FIFO within a lane). Each lane has a deadline: a call whose wait would pass it is
 *   refused at once (the queue is too deep), and one still waiting at it is refused then, both as
 *   DINGTALK_RATE_LIMITED with reason BUDGET_EXHAUSTED and `details.retryAfter` (seconds), which the
 *   host turns into a Retry-After header. A hard depth cap bounds memory whatever the deadlines.
 * - Share: processes on one database split an app's budget (budget-membership.ts): with N live
 *   members each takes floor(qps / N) (at least 1), so together they stay within qps.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { JitError } from '../../runtime/core';
import { DINGTALK_ERRORS } from '../error-codes';
import { DINGTALK_LANES, lanePriority, type DingTalkLane } from './lanes';
import type { DingTalkEvent } from './metrics';

/** DingTalk's standard limit per app per API (calls per second). */
export const DEFAULT_QPS = 20;
/** The paid "企业开发增购包" limit, the highest `dingtalk.qps` may say. */
export const MAX_QPS = 60;
/** DingTalk counts calls in 1-second windows. */
export const QPS_WINDOW_MS = 1000;
/**
 * Added to the window when spacing calls: covers the jitter between a call's start here and its count
 * at DingTalk (a request delayed by up to this much still lands in the right window). 100 ms keeps
 * 91% of the budget (18 of 20 calls a second).
 */
export const DEFAULT_WINDOW_GUARD_MS = 100;
/**
 * How long a call may wait for a slot, per lane. A login's calls run one after another within one
 * HTTP request, so its deadline is a fraction of the host's request timeout (see app-runtime.ts);
 * background lanes may wait longer.
 */
export const DEFAULT_LANE_DEADLINES_MS: Readonly<Record<DingTalkLane, number>> = Object.freeze({
  login: 15_000,
  events: 30_000,
  sync: 120_000,
  doctor: 30_000,
});
/** Waiting calls per API, whatever the deadlines say. */
export const DEFAULT_MAX_QUEUE = 5_000;

export interface CallBudgetOptions {
  appKey: string;
  /** Calls per second per API DingTalk allows this app (default 20). */
  qps?: number;
  deadlinesMs?: Partial<Record<DingTalkLane, number>>;
  maxQueue?: number;
  windowGuardMs?: number;
  /** Receives 'refused' and 'share' events (metrics). */
  onEvent?: (event: DingTalkEvent) => void;
}

export interface BudgetStatus {
  appKey: string;
  /** The app's budget per API (calls per second), from `dingtalk.qps`. */
  qps: number;
  /** Live processes sharing it (1 without a database, or before the first registration). */
  members: number;
  /** This process's part: calls per second per API. */
  share: number;
  /** Calls waiting now, by API and lane. */
  queued: Record<string, Record<DingTalkLane, number>>;
}

interface Waiter {
  lane: DingTalkLane;
  /** performance.now() when the call asked for a slot. */
  started: number;
  resolve(waitedMs: number): void;
  reject(error: JitError): void;
  timer?: NodeJS.Timeout;
}

/** The calls waiting for one API's slots, one FIFO per lane. */
class ApiQueue {
  readonly lanes: Waiter[][] = DINGTALK_LANES.map(() => []);
  /** The drain timer, and when it fires (performance.now()). */
  timer?: NodeJS.Timeout;
  timerAt = 0;
  draining = false;

  get size(): number {
    return this.lanes.reduce((n, lane) => n + lane.length, 0);
  }

  /** How many waiting calls are served before a new call in `lane`: those of its lane and the lanes before it. */
  aheadOf(lane: DingTalkLane): number {
    let ahead = 0;
    for (let p = 0; p <= lanePriority(lane); p++) ahead += this.lanes[p].length;
    return ahead;
  }

  /** Position (0 = next) of a waiting call. */
  positionOf(waiter: Waiter): number {
    const p = lanePriority(waiter.lane);
    return this.aheadOf(DINGTALK_LANES[p]) - this.lanes[p].length + this.lanes[p].indexOf(waiter);
  }

  push(waiter: Waiter): void {
    this.lanes[lanePriority(waiter.lane)].push(waiter);
  }

  /** The next call to serve: the oldest of the first lane that has one. */
  shift(): Waiter | undefined {
    for (const lane of this.lanes) if (lane.length > 0) return lane.shift();
    return undefined;
  }

  remove(waiter: Waiter): void {
    const lane = this.lanes[lanePriority(waiter.lane)];
    const index = lane.indexOf(waiter);
    if (index >= 0) lane.splice(index, 1);
  }

  counts(): Record<DingTalkLane, number> {
    return Object.fromEntries(DINGTALK_LANES.map((lane, p) => [lane, this.lanes[p].length])) as Record<DingTalkLane, number>;
  }
}

export class CallBudget {
  readonly appKey: string;
  private qpsValue: number;
  private membersValue = 1;
  private shareValue: number;
  private readonly deadlines: Record<DingTalkLane, number>;
  private readonly maxQueue: number;
  private readonly guardMs: number;
  private readonly onEvent?: (event: DingTalkEvent) => void;
  /** One point per slot; each API is a key. Duration is set per slot (customDuration) as the share changes. */
  private readonly slots = new RateLimiterMemory({ points: 1, duration: 1, keyPrefix: '' });
  private readonly queues = new Map<string, ApiQueue>();

  constructor(options: CallBudgetOptions) {
    this.appKey = options.appKey;
    this.qpsValue = checkQps(options.qps ?? DEFAULT_QPS);
    this.shareValue = this.qpsValue;
    this.deadlines = { ...DEFAULT_LANE_DEADLINES_MS, ...options.deadlinesMs };
    for (const lane of DINGTALK_LANES) checkPositive(this.deadlines[lane], `deadlinesMs.${lane}`);
    this.maxQueue = options.maxQueue ?? DEFAULT_MAX_QUEUE;
    checkPositive(this.maxQueue, 'maxQueue');
    this.guardMs = options.windowGuardMs ?? DEFAULT_WINDOW_GUARD_MS;
    if (!(Number.isFinite(this.guardMs) && this.guardMs >= 0)) throw new JitError('CONFIG_INVALID', `DingTalk budget windowGuardMs must be a number >= 0, got ${this.guardMs}`);
    this.onEvent = options.onEvent;
  }

  get qps(): number {
    return this.qpsValue;
  }

  get members(): number {
    return this.membersValue;
  }

  get share(): number {
    return this.shareValue;
  }

  /** The least time between two call starts of one API in this process. */
  get slotMs(): number {
    return (QPS_WINDOW_MS + this.guardMs) / this.shareValue;
  }

  /** `dingtalk.qps` changed (hot reload). */
  setQps(qps: number): void {
    this.qpsValue = checkQps(qps);
    this.updateShare();
  }

  /** The number of live processes sharing the budget changed. */
  setMembers(members: number): void {
    this.membersValue = Math.max(1, Math.floor(members));
    this.updateShare();
  }

  /**
   * Waits for a slot to call `api` in `lane`; resolves with the milliseconds waited. Rejects with
   * DINGTALK_RATE_LIMITED (reason BUDGET_EXHAUSTED, details.retryAfter) when the wait would pass, or
   * passes, the lane's deadline, or the queue is full.
   */
  async take(api: string, lane: DingTalkLane): Promise<number> {
    const started = performance.now();
    const queue = this.queueFor(api);
    if (queue.size === 0 && !queue.draining) {
      // Nobody waiting: take the slot if it is free.
      const nextSlotMs = await this.claim(api);
      if (nextSlotMs === 0) return 0;
      return this.enqueue(api, queue, lane, nextSlotMs, started);
    }
    // Others are waiting: line up behind those of this lane and the lanes before it (never jump the queue).
    return this.enqueue(api, queue, lane, Math.max(1, await this.untilNextSlot(api)), started);
  }

  /** DingTalk throttled `api` anyway (another client of the app, or its own count): no call starts for `ms`. */
  async pause(api: string, ms: number): Promise<void> {
    const current = await this.slots.get(api);
    if (current && current.msBeforeNext >= ms) return;
    await this.slots.block(api, ms / 1000);
    const queue = this.queues.get(api);
    if (queue && queue.size > 0) this.schedule(api, queue, ms);
  }

  status(): BudgetStatus {
    const queued: BudgetStatus['queued'] = {};
    for (const [api, queue] of this.queues) if (queue.size > 0) queued[api] = queue.counts();
    return { appKey: this.appKey, qps: this.qpsValue, members: this.membersValue, share: this.shareValue, queued };
  }

  // ---- plumbing ----

  private updateShare(): void {
    const share = Math.max(1, Math.floor(this.qpsValue / this.membersValue));
    if (share === this.shareValue) return;
    this.shareValue = share;
    this.emit({ type: 'share', appKey: this.appKey, qps: this.qpsValue, members: this.membersValue, share });
  }

  private queueFor(api: string): ApiQueue {
    let queue = this.queues.get(api);
    if (!queue) {
      queue = new ApiQueue();
      this.queues.set(api, queue);
    }
    return queue;
  }

  /** Takes the slot if it is free (0), else says how many ms until it is. */
  private async claim(api: string): Promise<number> {
    try {
      await this.slots.consume(api, 1, { customDuration: this.slotMs / 1000 });
      return 0;
    } catch (rejection) {
      if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext));
      throw rejection;
    }
  }

  /** Ms until the slot is free, without taking it. */
  private async untilNextSlot(api: string): Promise<number> {
    const current = await this.slots.get(api);
    return current && current.consumedPoints >= 1 ? Math.max(0, Math.ceil(current.msBeforeNext)) : 0;
  }

  private enqueue(api: string, queue: ApiQueue, lane: DingTalkLane, nextSlotMs: number, started: number): Promise<number> {
    const waited = performance.now() - started;
    const deadline = this.deadlines[lane];
    const ahead = queue.aheadOf(lane);
    const estimateMs = nextSlotMs + ahead * this.slotMs;
    if (queue.size >= this.maxQueue) {
      return Promise.reject(this.refusal(api, lane, 'depth', estimateMs, waited, queue.size));
    }
    if (waited + estimateMs > deadline) {
      return Promise.reject(this.refusal(api, lane, 'depth', estimateMs, waited, queue.size));
    }
    return new Promise<number>((resolve, reject) => {
      const waiter: Waiter = { lane, started, resolve, reject };
      waiter.timer = setTimeout(() => {
        // Still waiting at the deadline: give up the place in line.
        const position = queue.positionOf(waiter);
        queue.remove(waiter);
        reject(this.refusal(api, lane, 'deadline', (position + 1) * this.slotMs, performance.now() - started, queue.size));
      }, Math.max(0, deadline - waited));
      waiter.timer.unref();
      queue.push(waiter);
      this.schedule(api, queue, nextSlotMs);
    });
  }

  /** Drains `queue` in `delayMs` (or sooner if already due sooner). */
  private schedule(api: string, queue: ApiQueue, delayMs: number): void {
    const at = performance.now() + delayMs;
    if (queue.timer && queue.timerAt <= at) return;
    if (queue.timer) clearTimeout(queue.timer);
    queue.timerAt = at;
    // Referenced on purpose: callers are waiting on these slots.
    queue.timer = setTimeout(() => {
      queue.timer = undefined;
      void this.drain(api, queue);
    }, delayMs);
  }

  /** Hands free slots to waiting calls, first lane first, until a slot is taken; then sleeps until it frees. */
  private async drain(api: string, queue: ApiQueue): Promise<void> {
    if (queue.draining) return;
    queue.draining = true;
    try {
      while (queue.size > 0) {
        const nextSlotMs = await this.claim(api);
        if (nextSlotMs > 0) {
          this.schedule(api, queue, nextSlotMs);
          return;
        }
        const waiter = queue.shift();
        if (!waiter) return;
        clearTimeout(waiter.timer);
        waiter.resolve(performance.now() - waiter.started);
      }
    } finally {
      queue.draining = false;
    }
  }

  private refusal(api: string, lane: DingTalkLane, cause: 'deadline' | 'depth', estimateMs: number, waitedMs: number, queued: number): JitError {
    const retryAfter = Math.max(1, Math.ceil(estimateMs / 1000));
    this.emit({ type: 'refused', appKey: this.appKey, api, lane, waitMs: cause === 'deadline' ? waitedMs : 0, retryAfter, cause });
    const why = cause === 'deadline'
      ? `waited ${Math.round(waitedMs)} ms, the ${lane} lane's limit, for a slot`
      : `would wait about ${Math.round(estimateMs)} ms for a slot, past the ${lane} lane's limit of ${this.deadlines[lane]} ms (${queued} calls waiting)`;
    return DINGTALK_ERRORS.error(
      'DINGTALK_RATE_LIMITED',
      `DingTalk call ${api} ${why} in the app's call budget (${this.shareValue} calls/s for this API in this process; `
        + `${this.qpsValue}/s for the app, shared by ${this.membersValue} process(es)). Try again in ${retryAfter} s.`,
      {
        call: api, reason: 'BUDGET_EXHAUSTED', retryAfter, lane, cause, queued,
        qps: this.qpsValue, share: this.shareValue, members: this.membersValue,
      },
    );
  }

  private emit(event: DingTalkEvent): void {
    this.onEvent?.(event);
  }
}

function checkQps(qps: number): number {
  if (!Number.isInteger(qps) || qps < 1 || qps > MAX_QPS) {
    throw new JitError('CONFIG_INVALID', `dingtalk.qps must be an integer in 1..${MAX_QPS} (DingTalk allows ${DEFAULT_QPS}, or ${MAX_QPS} with the paid add-on), got ${String(qps)}`);
  }
  return qps;
}

function checkPositive(value: number, field: string): void {
  if (!(Number.isFinite(value) && value > 0)) throw new JitError('CONFIG_INVALID', `DingTalk budget ${field} must be a number > 0, got ${String(value)}`);
}
