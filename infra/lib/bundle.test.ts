import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleOptions } from './bundle.js';
import { bundleSizes } from './bundle-sizes.js';
import { placeholderEnvironment } from './placeholder-environment.js';
import { functionSpecs } from './catalog.js';

const run = promisify(execFile);
const outdir = mkdtempSync(join(tmpdir(), 'creditline-bundle-'));
afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
});

describe('function bundles', () => {
  it('are minified ESM entries (split into chunks) for Node on Lambda, with the AWS SDK bundled', () => {
    const options = bundleOptions(functionSpecs['transaction-validator']);
    expect(options).toMatchObject({
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      minify: true,
      splitting: true,
      sourcemap: 'linked',
      entryNames: 'index',
      outExtension: { '.js': '.mjs' },
    });
    expect(options.outdir.endsWith('dist/functions/transaction-validator')).toBe(true);
    expect(options.external ?? []).not.toContainEqual(expect.stringContaining('@aws-sdk'));
    expect(options.banner?.['js']).toContain('createRequire');
  });

  it('leave out what Lambda never runs: zod locales but English, node-postgres, unused event schemas; none over 1 MB', async () => {
    const validatorDir = join(outdir, 'validator');
    const outfile = join(validatorDir, 'index.mjs');
    const result = await build({
      ...bundleOptions(functionSpecs['transaction-validator']),
      outdir: validatorDir,
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
    // The validator parses HTTP API and EventBridge events only: the other schemas are read, not kept.
    const kept = Object.values(result.metafile.outputs).flatMap((output) =>
      Object.entries(output.inputs)
        .filter(([, input]) => input.bytesInOutput > 0)
        .map(([path]) => path),
    );
    // zod's tools no function calls (compiled parsers, JSON Schema input) are stand-ins.
    expect(
      kept.filter((path) => /zod\/v4\/(core\/compile|classic\/from-json-schema)\.js$/.test(path)),
    ).toEqual([]);
    expect(
      kept
        .filter((path) => /@aws-lambda-powertools\/parser\/lib\/esm\/schemas\//.test(path))
        .map((path) => path.replace(/.*\/schemas\//, ''))
        .filter((file) => file !== 'index.js') // the re-exports, not a schema
        .sort(),
    ).toEqual(['api-gatewayv2.js', 'apigw-proxy.js', 'eventbridge.js']);
    const sizes = bundleSizes(result.metafile);
    expect(sizes.totalBytes).toBeLessThan(1024 * 1024);
    expect(sizes.loadedBytes).toBeLessThan(sizes.totalBytes);
    expect(statSync(outfile).size).toBeLessThan(sizes.loadedBytes);
    // The stand-in says why if DATABASE_URL reached Lambda (in the chunk Aurora's client is in).
    const text = Object.keys(result.metafile.outputs)
      .filter((path) => path.endsWith('.mjs'))
      .map((path) => readFileSync(path, 'utf8'))
      .join('\n');
    expect(text).toContain('node-postgres is not in the Lambda bundle');
  });

  it('answers a malformed request from the bundled validator, zod and Powertools included', async () => {
    // Prepare: the bundle of the test above; a request refused before any store is asked
    const entry = pathToFileURL(join(outdir, 'validator', 'index.mjs')).href;
    const event = {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/v1/transactions',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      requestContext: {
        accountId: '000000000000',
        apiId: 'api',
        domainName: 'api.invalid',
        domainPrefix: 'api',
        http: {
          method: 'POST',
          path: '/v1/transactions',
          protocol: 'HTTP/1.1',
          sourceIp: '192.0.2.1',
          userAgent: 'test',
        },
        requestId: 'request-1',
        routeKey: '$default',
        stage: '$default',
        time: '02/Dec/2026:03:00:00 +0000',
        timeEpoch: 1_796_180_400_000,
        // Verified by the IAM authorizer as a session of the partner's role: the body is reached.
        authorizer: {
          iam: {
            accessKey: 'ASIAEXAMPLE',
            accountId: '000000000000',
            callerId: 'AROAEXAMPLE:session',
            principalOrgId: null,
            userArn: `arn:aws:sts::000000000000:assumed-role/creditline-partner-acme/session`,
            userId: 'AROAEXAMPLE:session',
          },
        },
      },
      body: JSON.stringify({ transaction_id: 'tx-1', user_id: 'u-1', amount: '-1.00' }),
      isBase64Encoded: false,
    };
    const script =
      `const { handler } = await import(${JSON.stringify(entry)}); ` +
      `process.stdout.write(JSON.stringify(await handler(${JSON.stringify(event)})));`;

    // Act
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env['PATH'],
        ...placeholderEnvironment('transaction-validator'),
        PARTNERS: JSON.stringify([
          {
            id: 'acme',
            roleArn: 'arn:aws:iam::000000000000:role/creditline-partner-acme',
            eventSource: 'partner.acme',
            eventAccountId: '111122223333',
            callbackHosts: ['hooks.acme.example'],
            webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:000000000000:secret:acme-AbCdEf',
            rateLimit: { perSecond: 20, burst: 40 },
          },
        ]),
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_DISABLED: 'true',
      },
    });

    // Assess
    const response = JSON.parse(stdout) as { statusCode: number; body: string };
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('amount');
  });

  it('builds the migrator into a module that loads on this Node and exports its handler', async () => {
    const migratorDir = join(outdir, 'migrator');
    const outfile = join(migratorDir, 'index.mjs');
    await build({ ...bundleOptions(functionSpecs.migrator), outdir: migratorDir });
    expect(readFileSync(outfile, 'utf8')).toContain('createRequire');
    const module = (await import(pathToFileURL(outfile).href)) as { handler?: unknown };
    expect(typeof module.handler).toBe('function');
  });
});
