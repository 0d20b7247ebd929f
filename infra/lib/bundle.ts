import { build, type BuildOptions } from 'esbuild';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  functionSpecs,
  type FunctionName,
  type FunctionSpec,
  allFunctionNames,
} from './catalog.js';
import {
  dataApiOnly,
  parserSchemasPure,
  zodEnglishOnly,
  zodRuntimeOnly,
} from './bundle-plugins.js';
import { distFunctionsDir, migrationsDir, repoRoot } from './paths.js';

/**
 * One esbuild bundle per function: a minified ESM entry `dist/functions/<name>/index.mjs` and the
 * chunks it imports (`chunks/`, see `bundleOptions`), with source maps, for Lambda's nodejs22.x
 * on arm64.
 *
 * The AWS SDK v3 is bundled, not left external: the SDK inside the Lambda runtime is whatever
 * version AWS ships that month, while our clients are pinned by the lockfile and tested at
 * that version. Bundling keeps what runs equal to what was tested; tree shaking and
 * minification keep the cost to a few hundred kB. zod's locales other than English are left
 * out, and so are node-postgres, which only the local runtime uses, and the Powertools event
 * schemas no function parses (`bundle-plugins.ts`). Every bundle stays under 1 MB and
 * `pnpm bench:cold-start` measures each one's size and load time beside an empty handler
 * bundled the same way.
 */
export const bundleFile = 'index.mjs';

export const bundleDir = (name: FunctionName): string => join(distFunctionsDir, name);

/**
 * NODE_OPTIONS of every function: none (the variable is not set). Not `--enable-source-maps`:
 * with it Node reads and parses every chunk's source map, and scans every chunk's text, while
 * loading it — ~10 ms of every cold start on Node 22, ~25 ms on Node 20
 * (`bench/cold-start/README.md`) — for traces most invocations never print. The bundle maps a
 * trace through the same maps when one is formatted instead, printing exactly what the flag
 * prints (TypeScript file, line and column): see `source-mapped-stack-traces.ts`.
 */
export const lambdaNodeOptions: readonly string[] = [];

/** ESM output still meets CommonJS dependencies that call require() or read __dirname. */
const banner = [
  "import { createRequire as __creditlineCreateRequire } from 'node:module';",
  "import { fileURLToPath as __creditlineFileURLToPath } from 'node:url';",
  "import { dirname as __creditlineDirname } from 'node:path';",
  'const require = __creditlineCreateRequire(import.meta.url);',
  'const __filename = __creditlineFileURLToPath(import.meta.url);',
  'const __dirname = __creditlineDirname(__filename);',
].join('\n');

/**
 * Code splitting: the SDK reaches the code it seldom needs (the credential providers other
 * than the environment's, the STS/SSO clients behind them, event streams, the browser
 * user-agent parser) through `import()`. In one file esbuild inlines those, and every cold start
 * compiles them; split, they are chunks (`chunks/`) that Node reads only when they are imported,
 * which on Lambda (credentials in the environment) is never. What the entry imports statically
 * is what a cold start loads; `pnpm bench:cold-start` reports both that and the total.
 */
export const bundleOptions = (spec: FunctionSpec): BuildOptions & { outdir: string } => ({
  entryPoints: [join(repoRoot, spec.entry)],
  outdir: bundleDir(spec.name),
  entryNames: 'index',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  platform: 'node',
  // Runs on the Node 20 of this workspace as well as on nodejs22.x in Lambda.
  target: 'node20',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: { js: banner },
  // Stack traces mapped through the source maps when one is formatted, installed before the
  // function's own modules run: see `source-mapped-stack-traces.ts` (and `lambdaNodeOptions`).
  inject: [join(repoRoot, 'infra', 'lib', 'source-mapped-stack-traces.install.ts')],
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'silent',
  // Optional native or platform-specific modules that node-postgres only loads on demand.
  external: ['pg-native', 'cloudflare:sockets'],
  plugins: [zodEnglishOnly, zodRuntimeOnly, dataApiOnly, parserSchemasPure],
});

export interface BundleResult {
  readonly name: FunctionName;
  readonly entry: string;
  readonly status: 'built' | 'skipped';
  readonly bytes?: number;
  readonly reason?: string;
}

export const handlerExists = (name: FunctionName): boolean =>
  existsSync(join(repoRoot, functionSpecs[name].entry));

/** Function names whose handler source exists: only these are bundled and wired. */
export const availableFunctions = (): FunctionName[] => allFunctionNames.filter(handlerExists);

const prepare = (name: FunctionName): void => {
  rmSync(bundleDir(name), { recursive: true, force: true });
  mkdirSync(bundleDir(name), { recursive: true });
};

const finish = (spec: FunctionSpec): BundleResult => {
  if (spec.name === 'migrator' && existsSync(migrationsDir)) {
    cpSync(migrationsDir, join(bundleDir(spec.name), 'migrations'), {
      recursive: true,
      filter: (source) => !source.endsWith('.ts'),
    });
  }
  // Every chunk of code (entry and `chunks/`), not the source maps nor the migrations.
  const bytes = readdirSync(bundleDir(spec.name), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.mjs'))
    .reduce((sum, file) => sum + statSync(join(bundleDir(spec.name), file)).size, 0);
  return { name: spec.name, entry: spec.entry, status: 'built', bytes };
};

const skipped = (spec: FunctionSpec): BundleResult => ({
  name: spec.name,
  entry: spec.entry,
  status: 'skipped',
  reason: `handler ${spec.entry} does not exist yet: not built, not wired`,
});

export const buildFunction = async (name: FunctionName): Promise<BundleResult> => {
  const spec = functionSpecs[name];
  if (!handlerExists(name)) return skipped(spec);
  prepare(name);
  await build(bundleOptions(spec));
  return finish(spec);
};

export const formatSize = (bytes: number): string =>
  bytes >= 1024 * 1024
    ? `${(bytes / (1024 * 1024)).toFixed(2)} MB`
    : `${(bytes / 1024).toFixed(1)} kB`;
