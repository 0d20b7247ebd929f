import { performance } from 'node:perf_hooks';
import type { CpuTimes } from './cpu-meter.js';

/** What one operation answered, besides its latency. */
export type OperationResult = 'permitted' | 'rejected' | 'unavailable';

export interface LoadResult {
  /** Latency of every operation, ms, in completion order. */
  readonly latencies: number[];
  readonly permitted: number;
  readonly rejected: number;
  readonly unavailable: number;
  readonly wallMs: number;
  /** CPU the run cost this process and DynamoDB Local. */
  readonly cpu: CpuTimes;
}

/**
 * A closed loop: `concurrency` workers, each starting its next operation as soon as the last
 * one answered, until `count` operations are done. Operation inputs are built before the clock
 * starts, so only the operation is timed.
 */
export const runClosedLoop = async <I>(
  count: number,
  concurrency: number,
  prepare: (index: number) => I,
  operation: (input: I) => Promise<OperationResult>,
  sampleCpu: () => CpuTimes,
): Promise<LoadResult> => {
  const latencies: number[] = [];
  const counts = { permitted: 0, rejected: 0, unavailable: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < count; index = next++) {
      const input = prepare(index);
      const started = performance.now();
      const result = await operation(input);
      latencies.push(performance.now() - started);
      counts[result] += 1;
    }
  };
  const cpuBefore = sampleCpu();
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = performance.now() - started;
  const cpuAfter = sampleCpu();
  return {
    latencies,
    ...counts,
    wallMs,
    cpu: { nodeMs: cpuAfter.nodeMs - cpuBefore.nodeMs, javaMs: cpuAfter.javaMs - cpuBefore.javaMs },
  };
};

export interface Summary {
  readonly count: number;
  readonly p50: number;
  readonly p99: number;
  readonly perSecond: number;
  readonly permitted: number;
  readonly rejected: number;
  readonly unavailable: number;
  /** CPU per operation, µs: this process, and DynamoDB Local's JVM. */
  readonly nodeCpuUs: number;
  readonly javaCpuUs: number;
  /** Cores busy on average during the runs: this process, and the JVM. */
  readonly nodeCores: number;
  readonly javaCores: number;
}

/** Nearest-rank percentile of sorted values. */
const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;

/** Merges runs of one kind (the rounds are interleaved with the other kind's). */
export const summarize = (runs: readonly LoadResult[]): Summary => {
  const latencies = runs.flatMap((run) => run.latencies).sort((a, b) => a - b);
  const wallMs = runs.reduce((sum, run) => sum + run.wallMs, 0);
  const nodeMs = runs.reduce((sum, run) => sum + run.cpu.nodeMs, 0);
  const javaMs = runs.reduce((sum, run) => sum + run.cpu.javaMs, 0);
  return {
    count: latencies.length,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    perSecond: (latencies.length / wallMs) * 1000,
    permitted: runs.reduce((sum, run) => sum + run.permitted, 0),
    rejected: runs.reduce((sum, run) => sum + run.rejected, 0),
    unavailable: runs.reduce((sum, run) => sum + run.unavailable, 0),
    nodeCpuUs: (nodeMs / latencies.length) * 1000,
    javaCpuUs: (javaMs / latencies.length) * 1000,
    nodeCores: nodeMs / wallMs,
    javaCores: javaMs / wallMs,
  };
};
