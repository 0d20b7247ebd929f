import type { Summary } from './closed-loop.js';
import type { ScenarioResult } from './measure.js';
import { populationLabel, targets } from './scenarios.js';

const ms = (value: number) => value.toFixed(1).padStart(7);
const int = (value: number, width = 6) => Math.round(value).toString().padStart(width);
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

/**
 * One line per scenario: the handler's decisions/s, latencies and answers, beside the design's
 * calls issued bare and the bare single-item conditional UpdateItem on the same item(s).
 */
export const formatTable = (results: readonly ScenarioResult[]): string => {
  const header =
    'population    conc |  handler dec/s   p50     p99  PERMITTED REJECTED  503 | design floor ops/s   p50     p99 | single UpdateItem ops/s   p50     p99 | handler ÷ design | handler ÷ single';
  const lines = results.map(({ scenario, handler, designFloor, singleFloor }) =>
    [
      populationLabel(scenario.population).padEnd(12),
      String(scenario.concurrency).padStart(5),
      ' |      ',
      int(handler.perSecond),
      ms(handler.p50),
      ms(handler.p99),
      int(handler.permitted, 10),
      int(handler.rejected, 8),
      int(handler.unavailable, 4),
      ' |              ',
      int(designFloor.perSecond),
      ms(designFloor.p50),
      ms(designFloor.p99),
      ' |                   ',
      int(singleFloor.perSecond),
      ms(singleFloor.p50),
      ms(singleFloor.p99),
      ' | ',
      (handler.perSecond / designFloor.perSecond).toFixed(2).padStart(16),
      ' | ',
      (handler.perSecond / singleFloor.perSecond).toFixed(2).padStart(16),
    ].join(' '),
  );
  return [header, '-'.repeat(header.length), ...lines].join('\n');
};

const row = (results: readonly ScenarioResult[], population: 'many' | 'hot', concurrency: number) =>
  results.find(
    ({ scenario }) => scenario.population === population && scenario.concurrency === concurrency,
  );

/** The targets of issue 13, each with the figures it is judged on. */
export const formatTargets = (results: readonly ScenarioResult[]): string => {
  const lines: string[] = [];
  for (const concurrency of [64, 200]) {
    const hot = row(results, 'hot', concurrency);
    const many = row(results, 'many', concurrency);
    if (!hot || !many) continue;
    const ratio = hot.handler.perSecond / many.handler.perSecond;
    lines.push(
      `hot user, concurrency ${String(concurrency)}: ${String(hot.handler.unavailable)} × 503 (target 0: ${mark(hot.handler.unavailable === 0)}); ` +
        `${int(hot.handler.perSecond, 1)} decisions/s = ${ratio.toFixed(2)} × many users' ${int(many.handler.perSecond, 1)} ` +
        `(target ≥ ${String(targets.hotToManyRatio)}: ${mark(ratio >= targets.hotToManyRatio)}); ` +
        `single-item floor on that item ${int(hot.singleFloor.perSecond, 1)} ops/s`,
    );
  }
  const many64 = row(results, 'many', 64);
  if (many64) {
    const ratio = many64.handler.perSecond / many64.designFloor.perSecond;
    lines.push(
      `many users, concurrency 64: ${int(many64.handler.perSecond, 1)} decisions/s = ${ratio.toFixed(2)} × the design's calls bare ` +
        `(${int(many64.designFloor.perSecond, 1)} ops/s; target ≥ ${String(targets.manyToFloorAt64)}: ${mark(ratio >= targets.manyToFloorAt64)})`,
    );
  }
  return lines.join('\n');
};

const figures = (summary: Summary) => ({
  ops_per_s: Math.round(summary.perSecond),
  p50_ms: Number(summary.p50.toFixed(2)),
  p99_ms: Number(summary.p99.toFixed(2)),
});

/** The `--json` line: one object, rows in the shape. */
export const toJsonReport = (
  results: readonly ScenarioResult[],
  hotItem: { readonly bytes: number; readonly wcuPerDecision: number },
) => ({
  rows: results.map(({ scenario, handler, designFloor, singleFloor }) => ({
    population: populationLabel(scenario.population),
    concurrency: scenario.concurrency,
    decisions_per_s: Math.round(handler.perSecond),
    p50_ms: Number(handler.p50.toFixed(2)),
    p99_ms: Number(handler.p99.toFixed(2)),
    permitted: handler.permitted,
    rejected: handler.rejected,
    status_503: handler.unavailable,
    floor: {
      single_item_update: figures(singleFloor),
      design_calls_bare: figures(designFloor),
      ...(scenario.population === 'hot'
        ? { hot_item_bytes: hotItem.bytes, wcu_per_decision_on_hot_item: hotItem.wcuPerDecision }
        : {}),
    },
  })),
});
