/**
 * Syncs the console starts: a dry run (to show what would change) or a real run ("apply", "run
 * now"). A sync of a large organisation takes longer than an HTTP request may, so each runs as a job
 * of this host that the page polls. One job per corp at a time here; across hosts the corp's sync
 * lease says who holds it (SYNC_IN_PROGRESS). The job keeps a trimmed summary: the counts, and the
 * first members of each list.
 */
import { randomUUID } from 'node:crypto';
import type { AppHandle } from '../app-types';
import { isJitError, JitError } from '../errors';
import type { Caller } from '../http/session-auth';
import { consoleCorp } from './corps';
import { consoleActor } from './gate';

/** Members listed per kind of change; the counts say how many there are in all. */
export const LISTED_PER_KIND = 200;
/** Finished jobs kept for the pages that poll them. */
const KEPT_JOBS = 50;

export interface SyncJob {
  id: string;
  corp: string;
  dryRun: boolean;
  state: 'running' | 'done' | 'failed';
  startedAt: Date;
  finishedAt: Date | null;
  /** The run's summary, lists cut to LISTED_PER_KIND (with `more` counts). */
  summary: Record<string, unknown> | null;
  error: { code: string; message: string } | null;
}

export class SyncJobs {
  private readonly jobs = new Map<string, SyncJob>();

  constructor(private readonly app: AppHandle) {}

  start(caller: Caller, corpFullName: string, dryRun: boolean): SyncJob {
    if (typeof corpFullName !== 'string' || corpFullName.length > 512) throw new JitError('BAD_REQUEST', 'corp must be the fullName of a corp');
    const corp = consoleCorp(this.app, corpFullName);
    if (!corp) throw new JitError('NOT_FOUND', `No usable corp ${corpFullName} (see the overview for its diagnostics)`);
    const running = [...this.jobs.values()].find((job) => job.corp === corpFullName && job.state === 'running');
    if (running) throw this.app.errorCodes.error('SYNC_IN_PROGRESS', `${corpFullName} is being synced from this console already`, { job: running.id });
    const job: SyncJob = { id: randomUUID(), corp: corpFullName, dryRun, state: 'running', startedAt: new Date(), finishedAt: null, summary: null, error: null };
    this.remember(job);
    const actor = consoleActor(caller);
    const run = async () => {
      if (!dryRun) await this.app.audit.record({ type: 'admin.sync.run', instance: corpFullName, details: { ...actor, corp: corpFullName } });
      return corp.syncCorp({ dryRun });
    };
    run().then(
      (summary) => {
        job.summary = trimSummary(summary);
        job.state = 'done';
        job.finishedAt = new Date();
      },
      (err: unknown) => {
        job.state = 'failed';
        job.finishedAt = new Date();
        job.error = isJitError(err) ? { code: err.code, message: err.message } : { code: 'INTERNAL_ERROR', message: 'The sync failed; the log says why.' };
        if (!isJitError(err) || err.status >= 500) this.app.logger.error('console sync failed', { corp: corpFullName, dryRun, err });
      },
    );
    return job;
  }

  get(id: string): SyncJob {
    const job = typeof id === 'string' ? this.jobs.get(id) : undefined;
    if (!job) throw new JitError('NOT_FOUND', 'No such sync job on this host (it may have been started on another one)');
    return job;
  }

  /** The jobs of a corp, newest first. */
  forCorp(corpFullName: string): SyncJob[] {
    return [...this.jobs.values()].filter((job) => job.corp === corpFullName).reverse();
  }

  private remember(job: SyncJob): void {
    this.jobs.set(job.id, job);
    for (const [id, old] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) break;
      if (old.state !== 'running') this.jobs.delete(id);
    }
  }
}

/** The summary with each member list cut to LISTED_PER_KIND, and `<list>More` saying how many were left out. */
function trimSummary(summary: unknown): Record<string, unknown> {
  if (!summary || typeof summary !== 'object') return {};
  const trimmed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(summary as Record<string, unknown>)) {
    if (Array.isArray(value)) {
      trimmed[key] = value.slice(0, LISTED_PER_KIND);
      if (value.length > LISTED_PER_KIND) trimmed[`${key}More`] = value.length - LISTED_PER_KIND;
    } else trimmed[key] = value;
  }
  return trimmed;
}
