import type { TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, describe, expect, it } from 'vitest';
import type { VerdictKind } from './checker/verdicts.js';
import type { PlantedDefect } from './planted/planted.js';
import { formatReport } from './report.js';
import { runSimulation } from './run.js';
import { testStores } from './testing/test-stores.js';

/**
 * Proof that the checker can fail: each defect, planted in a test-only copy of an adapter's
 * behaviour (planted/planted.ts; the real adapters untouched), is reported with its verdict and
 * a trace that names it, on a small run without other faults.
 */
const cases: readonly {
  readonly defect: PlantedDefect;
  readonly verdict: VerdictKind;
  readonly ops: number;
}[] = [
  { defect: 'double-credit', verdict: 'double-credit', ops: 150 },
  { defect: 'lost-publication', verdict: 'lost-decision', ops: 150 },
  { defect: 'overspend', verdict: 'overspend', ops: 250 },
];

describe('planted defects are found, each with a trace', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  for (const { defect, verdict, ops } of cases) {
    it(`${defect} → ${verdict}`, { timeout: 600_000 }, async () => {
      const { stores, db } = await testStores();
      databases.push(db);
      const result = await runSimulation({
        ops,
        seed: 7,
        faults: 'none',
        plant: [defect],
        stores,
        concurrency: 16,
      });
      const report = formatReport(result);
      expect(result.byKind[verdict], report.join('\n')).toBeGreaterThan(0);
      const explained = result.explained.find((entry) => entry.violation.kind === verdict);
      expect(explained?.trace.length ?? 0).toBeGreaterThan(0);
      expect(result.summaryLine).toMatch(/^sim: seed 7, \d+ ops, \d+ faults, [1-9]\d* violations$/);
      console.log(
        `planted ${defect}: ${verdict} ×${result.byKind[verdict]}; first: ${explained?.violation.message ?? ''}\n${(explained?.trace ?? []).slice(0, 12).join('\n')}`,
      );
    });
  }
});
