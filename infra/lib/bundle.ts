import { build, type BuildOptions } from 'esbuild';
import { cpSync, existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  functionSpecs,
  type FunctionName,
  type FunctionSpec,
  allFunctionNames,
} from './catalog.js';
import { dataApiOnly, zodEnglishOnly } from './bundle-plugins.js';
import { distFunctionsDir, migrationsDir, repoRoot } from './paths.js';

/**
 * One esbuild bundle per function: a single minified ESM file `dist/functions/<name>/index.mjs`
 * (+ source map), for Lambda's nodejs22.x on arm64.
 *
 * The AWS SDK v3 is bundled, not left external: the SDK inside the Lambda runtime is whatever
 * version AWS ships that month, while our clients are pinned by the lockfile and tested at
 * that version. Bundling keeps what runs equal to what was tested; tree shaking and
 * minification keep the cost to a few hundred kB. zod's locales other than English are left
 * out, and so is node-postgres, which only the local runtime uses (`bundle-plugins.ts`). Every bundle stays under 1 MB and `pnpm bench:cold-start` measures
 * each one's size and load time beside an empty handler bundled the same way.
 */
export const bundleFile = 'index.mjs';

export const bundleDir = (name: FunctionName): string => join(distFunctionsDir, name);

/** ESM output still meets CommonJS dependencies that call require() or read __dirname. */
const banner = [
  "import { createRequire as __creditlineCreateRequire } from 'node:module';",
  "import { fileURLToPath as __creditlineFileURLToPath } from 'node:url';",
  "import { dirname as __creditlineDirname } from 'node:path';",
  'const require = __creditlineCreateRequire(import.meta.url);',
  'const __filename = __creditlineFileURLToPath(import.meta.url);',
  'const __dirname = __creditlineDirname(__filename);',
].join('\n');

export const bundleOptions = (spec: FunctionSpec): BuildOptions & { outfile: string } => ({
  entryPoints: [join(repoRoot, spec.entry)],
  outfile: join(bundleDir(spec.name), bundleFile),
  bundle: true,
  platform: 'node',
  // Runs on the Node 20 of this workspace as well as on nodejs22.x in Lambda.
  target: 'node20',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: { js: banner },
  minify: true,
  sourcemap: 'linked',
  sourcesContent: false,
  legalComments: 'none',
  logLevel: 'silent',
  // Optional native or platform-specific modules that node-postgres only loads on demand.
  external: ['pg-native', 'cloudflare:sockets'],
  plugins: [zodEnglishOnly, dataApiOnly],
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
  const outfile = join(bundleDir(spec.name), bundleFile);
  return { name: spec.name, entry: spec.entry, status: 'built', bytes: statSync(outfile).size };
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
