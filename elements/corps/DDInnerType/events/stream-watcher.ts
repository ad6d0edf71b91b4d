/**
 * The live events of a DingTalk corp: one Stream connection (dingtalk/stream's DingTalkStreamClient,
 * with the credentials of the corp's client: the login it names, or its own authConfig), each event
 * read (read-live-change.ts) and applied once by the corps family (events/apply-live-change.ts).
 *
 * How each event is acked (docs/events.md): applied, or found applied already (its eventId is in
 * corp_events: a redelivery, a duplicate, or another host got it first): SUCCESS. Not applicable for
 * good (AMBIGUOUS_MATCH, BINDING_REJECTED, DINGTALK_PERMISSION_DENIED, a leave DingTalk contradicts):
 * SUCCESS, recorded with its code and shown in `jit org status`, never asked for again and again. A
 * transient failure (DingTalk unavailable or throttled, a database conflict): LATER, so DingTalk
 * pushes it again; nothing of it was written (one transaction).
 *
 * Catch-up: when the first connection opens (what happened while no watcher ran is unknown), and when
 * a connection opens after a gap of at least `sync.catchUpAfterSeconds` (a `disconnect` frame's
 * handover, or a shorter gap, needs none: DingTalk pushes unacked events again), one org sync runs
 * through the corp's `syncCorp`, under the sync lease (a sync already running is left to finish).
 */
import { type AppHandle, isJitError, type Logger } from '../../../../runtime';
import type { AuthConfig } from '../../../../dingtalk/auth-config';
import type { DDInnerClientApi, DDMember } from '../../../../dingtalk/client/types';
import { dingTalkHostsOf } from '../../../../dingtalk/hosts';
import { DingTalkStreamClient, type StreamClientOptions, type StreamClientStatus, type StreamGap, type StreamHandlerResult } from '../../../../dingtalk/stream/StreamClient';
import type { StreamEvent } from '../../../../dingtalk/stream/events';
import type { CorpSettings } from '../../corp-settings';
import type { CorpEventWatcher, CorpWatcherStatus, WatchEventsOptions } from '../../events/corp-watcher';
import { eventMetrics, type EventMetrics } from '../../events/event-metrics';
import { PERMANENT_LIVE_CHANGE_CODES, type LiveChange, type LiveChangeOutcome } from '../../events/live-change';
import { PRUNE_EVERY_MS, pruneEventRecords } from '../../events/prune';
import { WatcherStateRecorder } from '../../events/watcher-state';
import type { OrgModel } from '../../models/OrgModel/OrgModel';
import type { SyncOptions } from '../../sync/run-org-sync';
import type { SyncSummary } from '../../sync/summary';
import { APPLIED_EVENT_TYPES, readLiveChange } from './read-live-change';

/** What the watcher uses of its corp (a DDInnerCorpType; typed by shape, so the corp can build watchers without an import circle). */
export interface WatchedDingTalkCorp {
  readonly fullName: string;
  readonly corpFullName: string;
  readonly corpId: string;
  readonly settings: CorpSettings;
  readonly authConfig: Readonly<AuthConfig>;
  readonly orgModel: OrgModel;
  getClient(): DDInnerClientApi;
  syncCorp(options: SyncOptions): Promise<SyncSummary>;
  applyLiveChange(change: LiveChange<DDMember>): Promise<LiveChangeOutcome>;
  recordLiveChangeNotApplied(event: Pick<LiveChange, 'eventId' | 'eventType' | 'bornAt'>, code: string, message: string): Promise<'recorded' | 'duplicate'>;
}

export interface DingTalkWatchOptions extends WatchEventsOptions {
  /** Settings of the Stream client (tests shorten the backoff; see docs/events.md §4). */
  transport?: Partial<Pick<StreamClientOptions, 'backoff' | 'keepAliveMs' | 'timeoutMs' | 'stopTimeoutMs' | 'drainMs'>>;
}

/** The same client with its calls in the live-events lane of DingTalk's call budget (after logins, before sync). */
function eventsLane(client: DDInnerClientApi): DDInnerClientApi {
  return client.inLane('events');
}

export class DingTalkStreamWatcher implements CorpEventWatcher {
  readonly corp: string;
  private readonly stream: DingTalkStreamClient;
  private readonly state: WatcherStateRecorder;
  private readonly metrics: EventMetrics;
  private readonly logger: Logger;
  private readonly catchUpOnStart: boolean;
  private readonly abort = new AbortController();
  private catchingUp?: Promise<void>;
  private pruneTimer?: NodeJS.Timeout;
  private everConnected = false;
  private stopped = false;

  constructor(
    private readonly app: AppHandle,
    private readonly target: WatchedDingTalkCorp,
    options: DingTalkWatchOptions = {},
  ) {
    this.corp = target.fullName;
    this.logger = options.logger ?? app.logger.child({ component: 'org-events', corp: target.fullName });
    this.metrics = eventMetrics(app);
    this.catchUpOnStart = options.catchUpOnStart !== false;
    this.state = new WatcherStateRecorder(target.orgModel.watchers, target.corpFullName, this.logger, { flushMs: options.stateFlushMs, heartbeatMs: options.heartbeatMs });
    const { appKey, appSecret } = target.authConfig;
    this.stream = new DingTalkStreamClient({
      credentials: { appKey, appSecret },
      apiUrl: dingTalkHostsOf(app).apiUrl,
      secrets: app.secrets,
      logger: this.logger,
      catchUpAfterMs: options.catchUpAfterMs ?? target.settings.sync.catchUpAfterSeconds * 1000,
      ...options.transport,
      onEvent: (event) => this.handle(event),
      onGap: (gap) => this.onGap(gap),
      onStateChange: (status) => this.onStateChange(status),
      onError: (error) => this.state.update({ lastError: `${error.code}: ${error.message}` }),
    });
  }

  get status(): CorpWatcherStatus {
    const stream = this.stream.status;
    return { corp: this.corp, state: stream.state, connected: stream.connected, row: this.state.state, catchingUp: this.catchingUp !== undefined };
  }

  async start(): Promise<void> {
    this.metrics.connected.set({ corp: this.corp }, 0);
    await this.state.start();
    void this.prune();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.logger.info('watching live organisation events (DingTalk Stream)', { corp: this.corp, corpId: this.target.corpId, appKey: this.stream.appKey });
    this.stream.start();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.pruneTimer);
    // The event in hand is finished and acked first; new ones are left for DingTalk to push again.
    await this.stream.stop();
    this.abort.abort(new Error('event watcher stopped'));
    await this.catchingUp;
    this.metrics.connected.set({ corp: this.corp }, 0);
    await this.state.close();
  }

  whenCaughtUp(): Promise<void> {
    return this.catchingUp ?? Promise.resolve();
  }

  // ---- events ------------------------------------------------------------------------------------

  private async handle(event: StreamEvent): Promise<StreamHandlerResult> {
    const type = event.eventType;
    const count = (outcome: string) => this.metrics.applied.inc({ corp: this.corp, type, outcome });
    if (!APPLIED_EVENT_TYPES.includes(type)) {
      count('ignored');
      this.state.update({ lastEventAt: new Date() });
      return { status: 'applied' };
    }
    if (event.corpId && event.corpId !== this.target.corpId) {
      count('OTHER_ORGANISATION');
      this.state.count('notApplied');
      return { status: 'rejected', code: 'OTHER_ORGANISATION', reason: `an event of organisation ${event.corpId}, not ${this.target.corpId}` };
    }
    try {
      // A delivery of an event applied before (here or on another host) costs one read, no DingTalk call.
      if (await this.target.orgModel.events.find(this.target.corpFullName, event.eventId)) return this.duplicate(type);
      const change = await readLiveChange(eventsLane(this.target.getClient()), event);
      if (!change) {
        count('ignored');
        return { status: 'applied' };
      }
      const outcome = await this.target.applyLiveChange(change);
      if (outcome.status === 'duplicate') return this.duplicate(type);
      this.observeLag(event);
      count(outcome.outcome);
      if (outcome.status === 'applied') {
        this.state.count('applied');
        return { status: 'applied' };
      }
      this.state.count('notApplied');
      return { status: 'rejected', code: outcome.outcome, reason: outcome.message ?? outcome.outcome };
    } catch (err) {
      if (isJitError(err) && PERMANENT_LIVE_CHANGE_CODES.includes(err.code)) {
        // Its details cannot be read for good (e.g. a permission the app lacks): recorded, acked.
        const recorded = await this.target.recordLiveChangeNotApplied({ eventId: event.eventId, eventType: type, bornAt: event.eventBornTime > 0 ? new Date(event.eventBornTime) : null }, err.code, err.message);
        if (recorded === 'duplicate') return this.duplicate(type);
        count(err.code);
        this.state.count('notApplied');
        return { status: 'rejected', code: err.code, reason: err.message };
      }
      count('retry');
      this.state.count('retried');
      this.state.update({ lastError: `${isJitError(err) ? err.code : 'ERROR'}: ${err instanceof Error ? err.message : String(err)}` });
      // LATER: nothing of the event was written; DingTalk pushes it again.
      throw err;
    }
  }

  private duplicate(type: string): StreamHandlerResult {
    this.metrics.applied.inc({ corp: this.corp, type, outcome: 'duplicate' });
    this.state.count('duplicates');
    return { status: 'duplicate' };
  }

  private observeLag(event: StreamEvent): void {
    if (event.eventBornTime > 0) this.metrics.lag.observe({ corp: this.corp }, Math.max(0, Date.now() - event.eventBornTime) / 1000);
  }

  // ---- connection and catch-up -----------------------------------------------------------------

  private onStateChange(status: StreamClientStatus): void {
    if (this.stopped) return;
    if (status.state === 'connected') {
      this.metrics.connected.set({ corp: this.corp }, 1);
      this.state.update({ connected: true, connectedSince: status.connectedSince ? new Date(status.connectedSince) : new Date(), downSince: null, reconnects: status.reconnects }, { now: true });
      if (!this.everConnected) {
        this.everConnected = true;
        if (this.catchUpOnStart) this.catchUp('start');
      }
      return;
    }
    if (this.everConnected && !status.connected) {
      this.metrics.connected.set({ corp: this.corp }, 0);
      this.state.update({ connected: false, connectedSince: null, downSince: status.downSince ? new Date(status.downSince) : new Date() }, { now: true });
    }
  }

  private onGap(gap: StreamGap): void {
    if (gap.catchUp) this.catchUp(`a gap of ${Math.round(gap.ms / 1000)} s without a connection`);
  }

  /** One catch-up sync at a time; the corp's sync lease keeps it from running beside another sync of the corp. */
  private catchUp(reason: string): void {
    if (this.catchingUp || this.stopped) return;
    this.state.update({ lastCatchUpAt: new Date(), lastCatchUpReason: reason, lastCatchUpOutcome: 'running' }, { now: true });
    this.logger.info('catch-up org sync', { corp: this.corp, reason });
    this.catchingUp = (async () => {
      let outcome: string;
      try {
        const summary = await this.target.syncCorp({ holder: `a catch-up sync (${reason})`, signal: this.abort.signal });
        outcome = summary.complete ? 'complete' : 'incomplete';
        this.logger.info('catch-up org sync finished', { corp: this.corp, complete: summary.complete, members: summary.members, failures: summary.failures.length });
      } catch (err) {
        if (this.abort.signal.aborted) outcome = 'interrupted';
        else if (isJitError(err, 'SYNC_IN_PROGRESS')) outcome = `skipped: ${String(err.details.holder ?? 'another sync')} was running`;
        else {
          outcome = `failed: ${isJitError(err) ? err.code : 'ERROR'}`;
          this.logger.warn('catch-up org sync failed; the next scheduled sync or catch-up tries again', { corp: this.corp, error: err instanceof Error ? err.message : String(err) });
        }
      }
      this.state.update({ lastCatchUpOutcome: outcome }, { now: true });
    })().finally(() => (this.catchingUp = undefined));
  }

  private async prune(): Promise<void> {
    try {
      const pruned = await pruneEventRecords(this.target.orgModel);
      if (pruned.events + pruned.watchers > 0) this.logger.debug('pruned the record of live events', { corp: this.corp, ...pruned });
    } catch (err) {
      this.logger.warn('could not prune the record of live events', { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
