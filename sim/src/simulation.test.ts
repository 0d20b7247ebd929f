import { afterAll, describe, expect, it } from 'vitest';
import { formatReport } from './report.js';
import type { Violation } from './checker/verdicts.js';
import { runSimulation } from './run.js';
import { capabilities } from './system/capabilities.js';
import { testStores } from './testing/test-stores.js';
import type { TestDatabase } from '@creditline/stand-ins/vitest';

/**
 * The simulation in CI: a fixed seed (a reproducible regression) and a random one (printed, so
 * a failure is a bug report), each at 1,500 operations under the default faults. Zero
 * violations, or the report with each violation's trace is the failure message.
 */
const OPS = Number(process.env['SIM_OPS'] ?? 1500);
const FIXED_SEED = 20261201;
const randomSeed = Number(process.env['SIM_SEED'] ?? Math.floor(Math.random() * 0xffffffff));

describe('simulation: the whole system under faults against the reference model', () => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
  });

  for (const [name, seed] of [
    ['fixed seed', FIXED_SEED],
    ['random seed', randomSeed],
  ] as const) {
    it(
      `${name} ${seed}: ${OPS} operations, default faults, no violation`,
      { timeout: 1_200_000 },
      async () => {
        const { stores, db } = await testStores();
        databases.push(db);
        console.log(
          `sim: ${name} ${seed} (rerun with: pnpm sim --seed ${seed} --ops ${OPS} --faults default)`,
        );
        const result = await runSimulation({ ops: OPS, seed, faults: 'default', stores });
        const report = formatReport(result);
        console.log(report.slice(0, 3).join('\n'));
        console.log(result.summaryLine);
        expect(result.ops).toBe(OPS);
        expect(result.faults).toBeGreaterThan(0);
        // Known until issue 13 lands (capabilities.conflictFreeCommit): contention alone answers 503.
        const known = (violation: Violation) =>
          !capabilities.conflictFreeCommit &&
          violation.kind === '5xx-on-valid-input' &&
          /account is busy/.test(violation.message);
        const knownCount = result.violations.filter(known).length;
        if (knownCount > 0)
          console.log(
            `sim: ${knownCount} × 503 "account is busy" under contention alone: the known bug of issue 13, counted but not failing CI until the conflict-free commit is on main`,
          );
        expect(
          result.violations.filter((violation) => !known(violation)).length,
          report.join('\n'),
        ).toBe(0);
      },
    );
  }
});
