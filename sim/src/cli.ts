import { parseArgs } from 'node:util';
import { z } from 'zod';
import { faultProfileNames } from './faults/profile.js';
import { plantedDefects } from './planted/planted.js';
import { formatReport } from './report.js';
import { runSimulation } from './run.js';

/**
 * `pnpm sim [--ops N] [--seed S] [--faults none|default|heavy]`: one seeded simulation of the
 * whole system. Prints what it did, each verdict counted, the trace of each kind of violation,
 * and as its last line `sim: seed S, N ops, F faults, V violations`; exits non-zero on any.
 */
const optionsSchema = z.object({
  ops: z.coerce.number().int().min(1).max(1_000_000).default(2_000),
  seed: z.coerce.number().int().min(0).max(0xffffffff).optional(),
  faults: z.enum(faultProfileNames).default('default'),
  concurrency: z.coerce.number().int().min(1).max(256).default(12),
  plant: z.array(z.enum(plantedDefects)).default([]),
  'trace-lines': z.coerce.number().int().min(1).max(100_000).default(40),
});

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      ops: { type: 'string' },
      seed: { type: 'string' },
      faults: { type: 'string' },
      concurrency: { type: 'string' },
      plant: { type: 'string', multiple: true },
      'trace-lines': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    console.log(
      `pnpm sim [--ops N] [--seed S] [--faults none|default|heavy] [--concurrency C] [--plant ${plantedDefects.join('|')}]... [--trace-lines N]`,
    );
    return;
  }
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    console.error(`sim: ${z.prettifyError(parsed.error)}`);
    process.exitCode = 2;
    return;
  }
  const seed = parsed.data.seed ?? Math.floor(Math.random() * 0xffffffff);
  console.log(
    `sim: seed ${seed}, ${parsed.data.ops} ops, faults ${parsed.data.faults}${parsed.data.plant.length > 0 ? `, planted: ${parsed.data.plant.join(', ')}` : ''}`,
  );
  const { 'trace-lines': traceLines, ...options } = parsed.data;
  const result = await runSimulation({
    ...options,
    traceLines,
    seed,
    log: (line) => console.log(`sim: ${line}`),
  });
  for (const line of formatReport(result)) console.log(line);
  process.exitCode = result.violations.length > 0 ? 1 : 0;
};

await main();
