import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU time spent, in ms: this process (the handler or the floor) and DynamoDB Local's JVM. */
export interface CpuTimes {
  readonly nodeMs: number;
  readonly javaMs: number;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process, from /proc (Linux); NaN where it cannot be read. */
const processCpuMs = (pid: number): number => {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1000;
  } catch {
    return Number.NaN;
  }
};

/** Samples the CPU clocks; the difference of two samples is what a run cost each side. */
export const createCpuMeter = (javaPid: number) => (): CpuTimes => {
  const { user, system } = process.cpuUsage();
  return { nodeMs: (user + system) / 1000, javaMs: processCpuMs(javaPid) };
};
