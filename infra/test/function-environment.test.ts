import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { allFunctionNames, functionSpecs } from '../lib/catalog.js';
import { repoRoot } from '../lib/paths.js';
import { placeholderEnvironment } from '../lib/placeholder-environment.js';

const run = promisify(execFile);

/**
 * Each handler reads and validates its configuration when it loads (fail fast), so loading it
 * in a fresh process with exactly the variables the program hands it proves the two agree: a
 * variable the code reads but the catalog forgets fails here, not on the first cold start in AWS.
 */
describe('every function loads with the environment the program gives it', () => {
  it.each(allFunctionNames)('%s', async (name) => {
    const entry = join(repoRoot, functionSpecs[name].entry);
    const script =
      `const m = await import(${JSON.stringify(entry)}); ` +
      `process.stdout.write(typeof m.handler);`;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: repoRoot, env: { PATH: process.env['PATH'], ...placeholderEnvironment(name) } },
    ).catch((error: unknown) => {
      const stderr = (error as { stderr?: unknown }).stderr;
      throw new Error(
        `${name} did not load: ${typeof stderr === 'string' ? stderr : 'no output'}`,
        {
          cause: error,
        },
      );
    });
    expect(stdout).toBe('function');
  });
});
