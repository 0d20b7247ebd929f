/**
 * pnpm bench:cold-start — per function: the size of its bundle and the time Node takes to load
 * it (the module's top level: imports, SDK clients, config read from the environment, i.e. the
 * part of a Lambda cold start the code decides), beside the floor: an empty handler bundled the
 * same way (esbuild, the options of infra/lib/bundle.ts) and loaded the same way.
 *
 * Method: each function is bundled afresh into a temporary folder (entry and chunks); each load
 * is a fresh `node` process (COLD_START_NODE, or this one) with the NODE_OPTIONS the program
 * gives the functions (`lambdaNodeOptions`) that times `await import(bundle)` from inside, so
 * process start-up is not counted: the wall time, and the
 * CPU time the load took (`process.cpuUsage`), which a busy machine inflates far less (on a
 * shared machine the wall time is mostly waiting for a core); the environment holds
 * the variables the function reads (dummy names and ARNs: nothing is called at load time).
 * Loads of all functions and the floor are interleaved round by round; medians and p90s are
 * nearest-rank. Targets (issue 12): the TransactionValidator loads in 60 ms or less; no bundle
 * over 1 MB.
 */
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  functionSpecs,
  allFunctionNames,
  type FunctionName,
  type FunctionSpec,
} from '../../infra/lib/catalog.js';
import { bundleOptions, lambdaNodeOptions } from '../../infra/lib/bundle.js';
import { bundleSizes, type BundleSizes } from '../../infra/lib/bundle-sizes.js';
import { placeholderEnvironment } from '../../infra/lib/placeholder-environment.js';

const ROUNDS = Number(process.env['COLD_START_ROUNDS'] ?? 11);
/** The node that loads the bundles: this one, or e.g. Lambda's major (`npx node@22`'s binary). */
const NODE = process.env['COLD_START_NODE'] ?? process.execPath;
const TARGET_VALIDATOR_MS = 60;
const TARGET_BUNDLE_BYTES = 1024 * 1024;

type Subject = FunctionName | 'floor';
const floorSpec: FunctionSpec = {
  name: 'migrator', // only its entry and out file are used
  entry: 'bench/cold-start/empty-handler.ts',
  description: 'floor',
  memoryMb: 128,
  timeoutSeconds: 1,
  env: [],
  asyncInvoked: false,
};

/** NODE_OPTIONS is the program's (infra/components/functions.ts), as each function gets it. */
const environmentOf = (subject: Subject): NodeJS.ProcessEnv => ({
  PATH: process.env['PATH'],
  ...(lambdaNodeOptions.length > 0 ? { NODE_OPTIONS: lambdaNodeOptions.join(' ') } : {}),
  ...(subject === 'floor'
    ? { AWS_REGION: 'eu-west-1', POWERTOOLS_SERVICE_NAME: 'floor' }
    : placeholderEnvironment(subject)),
});

const workDir = mkdtempSync(join(tmpdir(), 'creditline-cold-start-'));
try {
  console.log(
    `bundling ${allFunctionNames.length} functions and the floor (esbuild, infra/lib/bundle.ts options)...`,
  );
  const bundles = new Map<Subject, BundleSizes & { file: string }>();
  for (const subject of [...allFunctionNames, 'floor'] as Subject[]) {
    const spec = subject === 'floor' ? floorSpec : functionSpecs[subject];
    const outdir = join(workDir, subject);
    const result = await build({ ...bundleOptions(spec), outdir, metafile: true });
    bundles.set(subject, { file: join(outdir, 'index.mjs'), ...bundleSizes(result.metafile) });
  }

  /** [wall ms, CPU ms] of one load. */
  const loadOnce = (subject: Subject): [number, number] => {
    const bundle = bundles.get(subject);
    if (!bundle) throw new Error(`no bundle for ${subject}`);
    const script =
      `const c = process.cpuUsage(); const t = performance.now(); ` +
      `const m = await import(${JSON.stringify(pathToFileURL(bundle.file).href)}); ` +
      `const ms = performance.now() - t; const u = process.cpuUsage(c); ` +
      `if (typeof m.handler !== 'function') throw new Error('no handler'); ` +
      `process.stdout.write(JSON.stringify([ms, (u.user + u.system) / 1000]));`;
    const out = execFileSync(NODE, ['--input-type=module', '-e', script], {
      env: environmentOf(subject),
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out) as [number, number];
  };

  const subjects = [...bundles.keys()];
  const samples = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  const cpuSamples = new Map<Subject, number[]>(subjects.map((s) => [s, []]));
  const nodeVersion = execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim();
  console.log(
    `loading each bundle ${ROUNDS} times in a fresh node ${nodeVersion} ` +
      `(NODE_OPTIONS ${lambdaNodeOptions.length > 0 ? JSON.stringify(lambdaNodeOptions.join(' ')) : 'unset'} as in Lambda, rounds interleaved)...`,
  );
  loadOnce('floor'); // warms the file cache, not counted
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      const [wall, cpu] = loadOnce(subject);
      samples.get(subject)?.push(wall);
      cpuSamples.get(subject)?.push(cpu);
    }
  }

  const rank = (values: readonly number[], p: number): number => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
  };
  const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
  const ms = (value: number): string => `${value.toFixed(1)} ms`;
  const floor = bundles.get('floor');
  const floorSamples = samples.get('floor') ?? [];
  const floorP50 = rank(floorSamples, 0.5);
  const floorCpuP50 = rank(cpuSamples.get('floor') ?? [], 0.5);

  const rows = allFunctionNames.map((name) => {
    const bundle = bundles.get(name);
    const values = samples.get(name) ?? [];
    const cpu = cpuSamples.get(name) ?? [];
    return [
      name,
      kB(bundle?.loadedBytes ?? 0),
      kB(bundle?.totalBytes ?? 0),
      kB(floor?.loadedBytes ?? 0),
      ms(rank(values, 0.5)),
      ms(rank(values, 0.9)),
      ms(floorP50),
      ms(rank(cpu, 0.5)),
      ms(floorCpuP50),
    ];
  });
  const header = [
    'function',
    'loaded at init',
    'bundle (all chunks)',
    'floor bundle',
    'load p50',
    'load p90',
    'floor load p50',
    'load CPU p50',
    'floor CPU p50',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ');
  console.log('');
  console.log(
    `machine: ${cpus().length} cores, node ${nodeVersion}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}; ${ROUNDS} loads each`,
  );
  console.log(line(header));
  for (const row of rows) console.log(line(row));
  console.log('');

  const validatorP50 = rank(samples.get('transaction-validator') ?? [], 0.5);
  const validatorCpuP50 = rank(cpuSamples.get('transaction-validator') ?? [], 0.5);
  const largest = allFunctionNames
    .map((name) => ({ name, bytes: bundles.get(name)?.totalBytes ?? 0 }))
    .sort((a, b) => b.bytes - a.bytes)[0];
  const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');
  console.log(
    `target: transaction-validator loads in ≤ ${TARGET_VALIDATOR_MS} ms: p50 ${ms(validatorP50)} wall (floor ${ms(floorP50)}), ` +
      `${ms(validatorCpuP50)} CPU (floor ${ms(floorCpuP50)}) — ${verdict(validatorP50 <= TARGET_VALIDATOR_MS)}`,
  );
  console.log(
    `target: no bundle over 1 MB: largest ${largest?.name ?? '?'} ${kB(largest?.bytes ?? 0)} (floor ${kB(floor?.totalBytes ?? 0)}) — ${verdict((largest?.bytes ?? 0) <= TARGET_BUNDLE_BYTES)}`,
  );
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
