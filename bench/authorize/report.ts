import type { ScenarioResult } from './measure.js';
import { targets } from './scenarios.js';

const ms = (value: number) => value.toFixed(2).padStart(7);
const rate = (value: number) => Math.round(value).toString().padStart(6);
const mark = (ok: boolean) => (ok ? 'ok  ' : 'MISS');

/** One line per scenario: the handler's figures beside the floor's, and the ratio the target is on. */
export const formatTable = (results: readonly ScenarioResult[]): string => {
  const header =
    'population      conc  n/kind |  handler p50     p99   dec/s |    floor p50     p99   ops/s | p99 ÷ floor (≤ 1.25) | p50 ÷ floor | 503s handler/floor';
  const lines = results.map(({ scenario, handler, floor }) => {
    const ratio = handler.p99 / floor.p99;
    return [
      (scenario.population === 'many' ? '10,000 users' : '1 hot user').padEnd(14),
      String(scenario.concurrency).padStart(5),
      String(handler.count).padStart(7),
      ' |    ',
      ms(handler.p50),
      ms(handler.p99),
      rate(handler.perSecond),
      ' |    ',
      ms(floor.p50),
      ms(floor.p99),
      rate(floor.perSecond),
      ' | ',
      `${ratio.toFixed(2).padStart(6)} ${mark(ratio <= targets.p99RatioToFloor)}`.padEnd(20),
      ' | ',
      (handler.p50 / floor.p50).toFixed(2).padStart(11),
      ' | ',
      `${String(handler.unavailable)}/${String(floor.unavailable)}`,
    ].join(' ');
  });
  return [header, '-'.repeat(header.length), ...lines].join('\n');
};

export const formatThroughputTarget = (results: readonly ScenarioResult[]): string => {
  const row = results.find(({ scenario }) => scenario.population === 'many' && scenario.concurrency === 64);
  if (!row) return '';
  const achieved = row.handler.perSecond;
  const floor = row.floor.perSecond;
  return (
    `throughput at concurrency 64 over 10,000 users: handler ${String(Math.round(achieved))} decisions/s ` +
    `(floor ${String(Math.round(floor))} ops/s), target ≥ ${String(targets.decisionsPerSecondAt64ManyUsers)}: ` +
    `${achieved >= targets.decisionsPerSecondAt64ManyUsers ? 'ok' : 'MISS'}`
  );
};
