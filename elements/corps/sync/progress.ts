/**
 * Progress of a sync: the events `syncCorp` reports through `onProgress` (the CLI draws them as a bar,
 * cli/sync-progress.ts).
 */

export type SyncPhase = 'departments' | 'members' | 'apply' | 'leavers' | 'done';

export interface SyncProgress {
  phase: SyncPhase;
  /** Departments found so far. */
  departments: number;
  /** Departments whose members have been (at least partly) listed. */
  departmentsListed: number;
  /** Distinct members listed so far. */
  members: number;
  /** Members written (or found unchanged) so far, in the apply phase. */
  applied: number;
  /** Members to apply (known from the apply phase on). */
  total: number;
}
