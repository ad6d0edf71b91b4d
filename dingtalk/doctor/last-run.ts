/** The last `jit doctor` run of an instance, from the audit trail (for the console: "its last run and time"). */
import type { AppHandle } from '../../runtime';
import { DOCTOR_AUDIT_TYPE } from './run-doctor';
import type { DoctorRun, DoctorStatus } from './types';

export async function lastDoctorRun(app: Pick<AppHandle, 'audit'>, instance: string): Promise<DoctorRun | null> {
  const page = await app.audit.list({ type: DOCTOR_AUDIT_TYPE, instance, limit: 1 });
  const row = page.events[0];
  if (!row) return null;
  const raw = Array.isArray(row.details?.checks) ? (row.details!.checks as unknown[]) : [];
  const checks = raw
    .filter((c): c is { id: string; status: DoctorStatus } => typeof (c as { id?: unknown }).id === 'string' && typeof (c as { status?: unknown }).status === 'string')
    .map((c) => ({ id: c.id, status: c.status }));
  return { time: row.time, ok: row.outcome === 'ok', checks };
}
