/**
 * What `jit doctor` reports: one check per thing a DingTalk app's set-up needs, as data, so the CLI,
 * `--json` and a console show the same thing. No check ever carries a secret.
 */
export type DoctorStatus = 'ok' | 'problem' | 'skipped';

export interface DoctorCheck {
  /** Stable id: `credentials`, `permission:topapi/v2/user/get`, `ipWhitelist`, `redirectUrl`, `scriptIntegrity`, `corpId`, `stream`. */
  id: string;
  title: string;
  status: DoctorStatus;
  /** What was found, in words. */
  detail: string;
  /** How to fix it: null when there is nothing to do (an ok redirect URL still says to register it). */
  fix: string | null;
}

export interface DoctorReport {
  /** The instance asked about (a login or a corp fullName). */
  instance: string;
  /** The corp checked besides (a login's corp), or null. */
  corp: string | null;
  appKey: string;
  corpId: string;
  ok: boolean;
  checks: DoctorCheck[];
}

/** A run as the audit trail keeps it: when, and each check's outcome. */
export interface DoctorRun {
  time: Date;
  ok: boolean;
  checks: Array<Pick<DoctorCheck, 'id' | 'status'>>;
}
