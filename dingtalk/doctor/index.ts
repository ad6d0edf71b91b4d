/** `jit doctor`: checks a DingTalk app's set-up (credentials, permissions, IP whitelist, redirect URL, corpId, Stream). */
export { runDoctor, DOCTOR_AUDIT_TYPE, type DoctorSubject } from './run-doctor';
export { lastDoctorRun } from './last-run';
export type { DoctorCheck, DoctorReport, DoctorRun, DoctorStatus } from './types';
