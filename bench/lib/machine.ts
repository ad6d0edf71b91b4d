/** What the numbers were measured on: kept in every result file, since absolute times depend on it. */
import * as os from 'os';

export interface MachineInfo {
  platform: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  totalMemoryMiB: number;
  /** 1, 5 and 15 minute load averages when the suite started: a busy shared machine shows here. */
  loadAverage: number[];
  node: string;
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  return {
    platform: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cpus: cpus.length,
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    loadAverage: os.loadavg().map((v) => Math.round(v * 100) / 100),
    node: process.version,
  };
}
