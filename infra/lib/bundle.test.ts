import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOptions } from './bundle.js';
import { functionSpecs } from './catalog.js';

const outdir = mkdtempSync(join(tmpdir(), 'creditline-bundle-'));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('function bundles', () => {
  it('are single minified ESM files for Node on Lambda, with the AWS SDK bundled', () => {
    const options = bundleOptions(functionSpecs['transaction-validator']);
    expect(options).toMatchObject({
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      sourcemap: 'linked',
    });
    expect(options.outfile.endsWith('dist/functions/transaction-validator/index.mjs')).toBe(true);
    expect(options.external ?? []).not.toContainEqual(expect.stringContaining('@aws-sdk'));
    expect(options.banner?.['js']).toContain('createRequire');
  });

  it('leave out what Lambda never runs: zod locales but English, node-postgres; none over 1 MB', async () => {
    const outfile = join(outdir, 'validator', 'index.mjs');
    const result = await build({
      ...bundleOptions(functionSpecs['transaction-validator']),
      outfile,
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    const locales = inputs.filter((path) => /zod\/v4\/locales\/[a-z-]+\.js$/i.test(path));
    expect(locales.filter((path) => !path.endsWith('/index.js'))).toEqual([
      expect.stringMatching(/zod\/v4\/locales\/en\.js$/),
    ]);
    expect(
      inputs.filter((path) =>
        /node_modules\/(\.pnpm\/[^/]+\/node_modules\/)?pg(-[a-z]+)?\//.test(path),
      ),
    ).toEqual([]);
    expect(statSync(outfile).size).toBeLessThan(1024 * 1024);
    // zod still explains in English, and the stand-in says why if DATABASE_URL reached Lambda.
    const text = readFileSync(outfile, 'utf8');
    expect(text).toContain('node-postgres is not in the Lambda bundle');
  });

  it('builds the migrator into a module that loads on this Node and exports its handler', async () => {
    const outfile = join(outdir, 'index.mjs');
    await build({ ...bundleOptions(functionSpecs.migrator), outfile });
    expect(readFileSync(outfile, 'utf8')).toContain('createRequire');
    const module = (await import(pathToFileURL(outfile).href)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });
});
