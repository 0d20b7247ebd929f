import { build } from 'esbuild';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOptions, lambdaNodeOptions } from './bundle.js';
import type { FunctionSpec } from './catalog.js';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'creditline-stacks-'));
const fixture: FunctionSpec = {
  name: 'migrator', // only its entry is used
  entry: 'infra/testing/stack-trace-fixture.ts',
  description: 'stack trace fixture',
  memoryMb: 128,
  timeoutSeconds: 1,
  env: [],
  asyncInvoked: false,
};

/** The fixture's stack, formatted in a fresh node with these flags, our mapping on or off. */
const stackOf = async (flags: readonly string[], ownMapping: boolean): Promise<string> => {
  // Marked as installed already (1), the banner leaves traces to Node; both scripts are as long.
  const script =
    `globalThis[Symbol.for('creditline.source-mapped-stack-traces')] = ${ownMapping ? 0 : 1}; ` +
    `const { handler } = await import(${JSON.stringify(pathToFileURL(join(outdir, 'index.mjs')).href)}); ` +
    'process.stdout.write(await handler());';
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '-e', script], {
    env: { PATH: process.env['PATH'] },
  });
  return stdout;
};

describe('stack traces of a bundled function', () => {
  beforeAll(async () => {
    await build({ ...bundleOptions(fixture), outdir });
  });
  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('name the TypeScript source, line and function without --enable-source-maps in NODE_OPTIONS', async () => {
    // Act
    const stack = await stackOf(lambdaNodeOptions, true);

    // Assess
    expect(lambdaNodeOptions).not.toContain('--enable-source-maps');
    const fixturePath = join(process.cwd(), 'infra/testing/stack-trace-fixture.ts');
    expect(stack.split('\n').slice(0, 3)).toEqual([
      'RangeError: cannot debit 25',
      expect.stringMatching(new RegExp(`^    at \\S+ \\(${fixturePath}:9:11\\)$`)),
      expect.stringMatching(new RegExp(`^    at \\S+ \\(${fixturePath}:15:29\\)$`)),
    ]);
    expect(stack).not.toContain('index.mjs');
  });

  it('read exactly as Node prints them under --enable-source-maps (minified names included)', async () => {
    // Act
    const ours = await stackOf([], true);
    const nodes = await stackOf(['--enable-source-maps'], false);
    const unmapped = await stackOf([], false);

    // Assess
    expect(ours).toBe(nodes);
    expect(unmapped).toContain('index.mjs');
  });
});
