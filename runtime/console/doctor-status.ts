/**
 * The last `jit doctor` run of an instance, as the console shows it. Doctor runs on demand only
 * (DECISIONS #14) and records each run as an `admin.doctor` audit row (outcome `ok` when every check
 * passed; details.checks as `{id, status}`), so the console reads that row: no DingTalk code here.
 */
import type { AppHandle } from '../app-types';

export interface DoctorRun {
  at: Date;
  /** True when every check passed. */
  passed: boolean;
  checks: Array<{ name: string; passed: boolean; message: string }>;
}

export const DOCTOR_AUDIT_TYPE = 'admin.doctor';

export async function lastDoctorRun(app: AppHandle, fullName: string): Promise<DoctorRun | null> {
  const row = (await app.audit.list({ type: DOCTOR_AUDIT_TYPE, instance: fullName, limit: 1 })).events[0];
  if (!row) return null;
  const raw = Array.isArray(row.details?.checks) ? (row.details!.checks as unknown[]) : [];
  const checks = raw
    .filter((c): c is { id: string; status: string } => typeof (c as { id?: unknown }).id === 'string' && typeof (c as { status?: unknown }).status === 'string')
    .map((c) => ({ name: c.id, passed: c.status !== 'problem', message: c.status }));
  return { at: new Date(row.time), passed: row.outcome === 'ok', checks };
}
