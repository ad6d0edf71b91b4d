/**
 * The last `jit doctor` run of an instance, as the console shows it. Doctor runs on demand only
 * (DECISIONS #14) and is not built yet: until it records its runs, every instance answers "not run
 * yet". This is the one place the console asks; point it at doctor's store when doctor lands.
 */
import type { AppHandle } from '../app-types';

export interface DoctorRun {
  at: Date;
  /** True when every check passed. */
  passed: boolean;
  checks: Array<{ name: string; passed: boolean; message: string }>;
}

export async function lastDoctorRun(_app: AppHandle, _fullName: string): Promise<DoctorRun | null> {
  return null;
}
