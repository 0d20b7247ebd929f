import type { ScenarioResult } from './measure.js';
import { targets } from './scenarios.js';

const ms = (value: number) => value.toFixed(2).padStart(7);
const int = (value: number, width = 6) => Math.round(value).toString().padStart(width);
const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');

/**
 * One line per scenario: the handler's figures beside the floor's, the ratio the target is on,
 * and where the CPU went (µs per decision in this process and in DynamoDB Local's JVM), which
 * says what bounds the throughput.
 */
export const formatTable = (results: readonly ScenarioResult[]): string => {
  const header = [
    'population      conc n/kind |  handler p50     p99  dec/s |    floor p50     p99  ops/s | p99 ÷ floor | p50 ÷ floor |',
    ' node µs/op h / f | java µs/op h / f | java cores h / f | 503s h / f',
  ].join('');
  const lines = results.map(({ scenario, handler, floor }) => {
    const ratio = handler.p99 / floor.p99;
    return [
      (scenario.population === 'many' ? '10,000 users' : '1 hot user').padEnd(14),
      String(scenario.concurrency).padStart(5),
      String(handler.count).padStart(6),
      ' |    ',
      ms(handler.p50),
      ms(handler.p99),
      int(handler.perSecond),
      ' |    ',
      ms(floor.p50),
      ms(floor.p99),
      int(floor.perSecond),
      ' | ',
      `${ratio.toFixed(2)} ${mark(ratio <= targets.p99RatioToFloor)}`.padStart(11),
      ' | ',
      (handler.p50 / floor.p50).toFixed(2).padStart(11),
      ' | ',
      `${int(handler.nodeCpuUs, 5)} / ${int(floor.nodeCpuUs, 5)}`.padStart(15),
      ' | ',
      `${int(handler.javaCpuUs, 5)} / ${int(floor.javaCpuUs, 5)}`.padStart(15),
      ' | ',
      `${handler.javaCores.toFixed(2)} / ${floor.javaCores.toFixed(2)}`.padStart(16),
      ' | ',
      `${String(handler.unavailable)} / ${String(floor.unavailable)}`,
    ].join(' ');
  });
  return [header, '-'.repeat(header.length), ...lines].join('\n');
};

export const formatThroughputTarget = (results: readonly ScenarioResult[], cores: number): string => {
  const row = results.find(({ scenario }) => scenario.population === 'many' && scenario.concurrency === 64);
  if (!row) return '';
  const { handler, floor } = row;
  // What the CPU each decision costs (this process + the JVM) allows on this machine's cores alone.
  const ceiling = (summary: typeof handler) => (cores * 1_000_000) / (summary.nodeCpuUs + summary.javaCpuUs);
  return [
    `throughput at concurrency 64 over 10,000 users: handler ${String(Math.round(handler.perSecond))} decisions/s beside the floor's ` +
      `${String(Math.round(floor.perSecond))} ops/s (target ≥ ${String(targets.decisionsPerSecondAt64ManyUsers)}: ` +
      `${handler.perSecond >= targets.decisionsPerSecondAt64ManyUsers ? 'ok' : 'MISS'})`,
    `CPU per decision at concurrency 64: handler ${String(Math.round(handler.nodeCpuUs))} µs node + ${String(Math.round(handler.javaCpuUs))} µs DynamoDB Local, ` +
      `floor ${String(Math.round(floor.nodeCpuUs))} µs + ${String(Math.round(floor.javaCpuUs))} µs: ` +
      `${String(cores)} dedicated cores could do at most ${String(Math.round(ceiling(handler)))} decisions/s (floor ${String(Math.round(ceiling(floor)))})`,
  ].join('\n');
};
