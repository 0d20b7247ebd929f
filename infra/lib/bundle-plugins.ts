import type { Plugin } from 'esbuild';
import { dirname, join } from 'node:path';

/**
 * zod 4 re-exports its ~40 error-message locales as `z.locales`, and `import { z } from 'zod'`
 * hands esbuild a namespace object it cannot shake (zod #6050 names the same for other
 * bundlers): every locale lands in every bundle, 264 kB of 1.1 MB. creditline speaks English
 * only (zod registers `en` by itself, from `locales/en.js`, which this keeps), so zod's own
 * `locales/index.js` resolves to a module that exports `en` and nothing else.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /\/locales\/index\.js$/ }, (args) => {
      if (!/[\\/]zod[\\/]/.test(args.importer)) return undefined;
      return { path: join(dirname(args.importer), args.path), namespace: 'zod-english-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, (args) => ({
      contents: `export { default as en } from ${JSON.stringify(join(dirname(args.path), 'en.js'))};\n`,
      resolveDir: dirname(args.path),
      loader: 'js',
    }));
  },
};

/**
 * On AWS every function reaches Aurora through the RDS Data API; node-postgres serves only the
 * local runtime and the tests (DATABASE_URL). Bundled, it costs each cold start ~100 ms of
 * loading (pg and the net/tls/dns modules it pulls in) for code Lambda never runs, so the
 * Lambda bundles get a stand-in that says so if it is ever reached.
 */
export const dataApiOnly: Plugin = {
  name: 'data-api-only',
  setup(build) {
    build.onResolve({ filter: /\/pg-sql-client\.js$/ }, (args) =>
      /[\\/]sql[\\/]sql-client-from-config\.ts$/.test(args.importer)
        ? { path: 'pg-sql-client', namespace: 'data-api-only' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'data-api-only' }, () => ({
      contents:
        'export const createPgSqlClient = () => { throw new Error(' +
        JSON.stringify(
          'DATABASE_URL is set, but node-postgres is not in the Lambda bundle: on AWS the functions ' +
            'reach Aurora through the Data API (DB_CLUSTER_ARN, DB_SECRET_ARN, DB_NAME)',
        ) +
        '); };\n',
      loader: 'js',
    }));
  },
};

const parserPackage = /[\\/]@aws-lambda-powertools[\\/]parser[\\/]/;

/**
 * `@aws-lambda-powertools/parser/schemas` re-exports ~30 event schemas (Cognito, AppSync, Kafka,
 * SES...), each a set of zod objects built when its module loads. The package does not declare
 * itself free of side effects, so esbuild keeps every one of them for the two a function uses:
 * 25 kB per bundle and 10–25 ms of every cold start spent building schemas nobody parses with.
 * Its modules only define schemas and helpers, so they are marked side-effect free and esbuild
 * keeps the ones that are imported.
 */
export const parserSchemasPure: Plugin = {
  name: 'parser-schemas-pure',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (args.pluginData === parserSchemasPure) return undefined;
      const fromParser =
        args.path.startsWith('@aws-lambda-powertools/parser') ||
        (args.path.startsWith('.') && parserPackage.test(args.importer));
      if (!fromParser) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        importer: args.importer,
        resolveDir: args.resolveDir,
        pluginData: parserSchemasPure,
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      return { path: resolved.path, namespace: resolved.namespace, sideEffects: false };
    });
  },
};

/** zod modules a function never runs, each with the exports its stand-in keeps. */
const zodToolModules: Readonly<Record<string, { importer: RegExp; contents: string }>> = {
  // z.compile / z.withParser (zod 4.6's compiled parsers, opt-in): 29 kB.
  'compile.js': {
    importer: /[\\/]zod[\\/]v4[\\/]core[\\/]index\.js$/,
    contents:
      'export const INVALID = Symbol.for("zod.compile.invalid");\n' +
      'export class ZodCompileAsyncError extends Error {}\n' +
      'export class ZodCompileUnsupportedError extends Error {}\n' +
      'export const compile = () => absent("z.compile");\n' +
      'export const withParser = () => absent("z.withParser");\n' +
      'export const compileFn = () => absent("compileFn");\n',
  },
  // z.fromJSONSchema: 12 kB.
  'from-json-schema.js': {
    importer: /[\\/]zod[\\/]v4[\\/]classic[\\/]external\.js$/,
    contents: 'export const fromJSONSchema = () => absent("z.fromJSONSchema");\n',
  },
};

/**
 * zod's namespace export keeps every module of zod in every bundle (see `zodEnglishOnly`),
 * and each one is compiled at every cold start. Two are tools no function calls — building
 * compiled parsers (`z.compile`) and reading JSON Schema (`z.fromJSONSchema`), 41 kB of the
 * 188 kB zod adds — so they resolve to stand-ins that keep their exports and say, if ever
 * called, that they are not in the Lambda bundle.
 */
export const zodRuntimeOnly: Plugin = {
  name: 'zod-runtime-only',
  setup(build) {
    build.onResolve({ filter: /\/(compile|from-json-schema)\.js$/ }, (args) => {
      const name = args.path.slice(args.path.lastIndexOf('/') + 1);
      const module = zodToolModules[name];
      if (!module?.importer.test(args.importer)) return undefined;
      return { path: name, namespace: 'zod-runtime-only' };
    });
    build.onLoad({ filter: /.*/, namespace: 'zod-runtime-only' }, (args) => ({
      contents:
        'const absent = (name) => { throw new Error(`${name} is not in the Lambda bundle ' +
        '(infra/lib/bundle-plugins.ts)`); };\n' +
        (zodToolModules[args.path]?.contents ?? ''),
      loader: 'js',
    }));
  },
};
