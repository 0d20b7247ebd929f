/**
 * `pnpm build`: bundles every function whose handler exists into dist/functions/<name>/ and
 * prints each bundle's size. A handler that does not exist yet is skipped with a note (it is
 * not wired by the program either); a handler that fails to bundle fails the build.
 */
import { allFunctionNames } from '../lib/catalog.js';
import { buildFunction, formatSize, type BundleResult } from '../lib/bundle.js';
import { fromRepo } from '../lib/paths.js';
import { bundleDir, bundleFile } from '../lib/bundle.js';

const results: BundleResult[] = [];
let failed = false;
for (const name of allFunctionNames) {
  try {
    results.push(await buildFunction(name));
  } catch (error) {
    failed = true;
    console.error(`✗ ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const width = Math.max(...allFunctionNames.map((name) => name.length));
for (const result of results) {
  if (result.status === 'built') {
    console.log(
      `✓ ${result.name.padEnd(width)}  ${formatSize(result.bytes ?? 0).padStart(9)}  ${fromRepo(bundleDir(result.name))}/${bundleFile}`,
    );
  } else {
    console.log(`- ${result.name.padEnd(width)}  ${'skipped'.padStart(9)}  ${result.reason ?? ''}`);
  }
}
if (failed) process.exitCode = 1;
