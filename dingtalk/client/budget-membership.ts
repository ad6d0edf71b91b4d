/**
 * Splits one app's call budget between the processes that share a database (hosts, `jit org sync`,
 * `jit doctor`; SQLite or PostgreSQL). Each process registers in the lease group
 * `dingtalk.budget:<appKey>` with an expiry, renews it on a timer (unref'd: it never keeps a process
 * alive), and on each renewal counts the live members N and takes its share floor(qps / N). Calls
 * themselves never touch the database.
 *
 * A process registers when it starts calling and leaves after a quiet spell, so an idle host, or a
 * `jit doctor` that has finished, does not hold a share it is not using. One that dies stops renewing
 * and drops out when its registration expires (ttlMs). Until the others' next renewal (renewMs) a
 * newcomer's calls can push the app past its budget; DingTalk then throttles, and the throttle is
 * waited out like any other (errors.ts), never treated as a token problem.
 */
import type { LeaseStore, Logger } from '../../runtime/core';
import type { CallBudget } from './budget';

export interface MembershipTiming {
  /** A registration lasts this long without renewal (ms). */
  ttlMs: number;
  /** Renew (and recount) this often while calls are being made (ms). */
  renewMs: number;
  /** Leave the group after this long without a call (ms). */
  idleMs: number;
}

export const DEFAULT_MEMBERSHIP_TIMING: Readonly<MembershipTiming> = Object.freeze({ ttlMs: 15_000, renewMs: 5_000, idleMs: 60_000 });

export interface BudgetMembershipOptions extends Partial<MembershipTiming> {
  /**
   * The lease store of the app's database, asked at each renewal (it may answer undefined: no database
   * yet, or no more). Omitted: the budget is never shared and no timer runs.
   */
  leases?: () => LeaseStore | undefined;
  /** This process's (this runtime's) id in the group, unique across hosts. */
  memberId: string;
  /** Who this is, in words, for operators reading the leases table. */
  label: string;
  logger?: Logger;
}

/** The lease group an app's budget is shared in: keyed by appKey, as DingTalk counts. */
export function budgetGroupOf(appKey: string): string {
  return `dingtalk.budget:${appKey}`;
}

export class BudgetMembership {
  readonly group: string;
  private readonly timing: MembershipTiming;
  private timer?: NodeJS.Timeout;
  private lastCallAt = 0;
  /** The store this process is registered in (to leave it again), if registered. */
  private registeredIn?: LeaseStore;
  private renewing?: Promise<void>;
  private failing = false;

  constructor(private readonly budget: CallBudget, private readonly options: BudgetMembershipOptions) {
    this.group = budgetGroupOf(budget.appKey);
    this.timing = {
      ttlMs: options.ttlMs ?? DEFAULT_MEMBERSHIP_TIMING.ttlMs,
      renewMs: options.renewMs ?? DEFAULT_MEMBERSHIP_TIMING.renewMs,
      idleMs: options.idleMs ?? DEFAULT_MEMBERSHIP_TIMING.idleMs,
    };
  }

  /** True while this process renews its registration. */
  get active(): boolean {
    return this.timer !== undefined;
  }

  /** A call is about to be made: register (in the background) if not registered. */
  touch(): void {
    this.lastCallAt = Date.now();
    if (this.timer || !this.options.leases) return;
    this.timer = setInterval(() => void this.tick(), this.timing.renewMs);
    this.timer.unref();
    void this.renew();
  }

  /** Registers or renews now and recounts; resolves with the members counted (tests, `jit doctor`). */
  async refresh(): Promise<number> {
    // A renewal already under way may have counted before the caller's moment: count once more after it.
    await this.renewing;
    await this.renew();
    return this.budget.members;
  }

  /** Stops renewing and leaves the group (best effort: a failure leaves a registration that expires). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.renewing;
    const store = this.registeredIn;
    this.registeredIn = undefined;
    if (!store) return;
    try {
      await store.leave(this.group, this.options.memberId);
    } catch (error) {
      this.options.logger?.debug('dingtalk budget: leaving the lease group failed; the registration will expire', { group: this.group, error: messageOf(error) });
    }
  }

  private async tick(): Promise<void> {
    if (Date.now() - this.lastCallAt > this.timing.idleMs) return this.stop();
    return this.renew();
  }

  private renew(): Promise<void> {
    this.renewing ??= this.register().finally(() => {
      this.renewing = undefined;
    });
    return this.renewing;
  }

  private async register(): Promise<void> {
    let store: LeaseStore | undefined;
    try {
      store = this.options.leases?.();
      if (!store) return;
      const members = await store.join(this.group, this.options.memberId, { ttlMs: this.timing.ttlMs, label: this.options.label });
      this.registeredIn = store;
      this.budget.setMembers(members);
      if (this.failing) this.options.logger?.info('dingtalk budget: registering in the lease group works again', { group: this.group, members });
      this.failing = false;
    } catch (error) {
      // Keep the share last counted: the database coming back restores the count at the next renewal.
      if (!this.failing) {
        this.options.logger?.warn('dingtalk budget: could not register in the lease group; keeping the last share', {
          group: this.group, share: this.budget.share, error: messageOf(error),
        });
      }
      this.failing = true;
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
