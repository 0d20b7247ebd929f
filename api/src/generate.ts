import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildOpenApi, buildSchemaFiles, render } from './openapi.js';

/** `pnpm api:generate`: rewrites api/openapi.json and api/schemas/*.json from the zod schemas. */
const apiDir = fileURLToPath(new URL('..', import.meta.url));
const schemasDir = join(apiDir, 'schemas');

writeFileSync(join(apiDir, 'openapi.json'), render(buildOpenApi()));
mkdirSync(schemasDir, { recursive: true });
const files = buildSchemaFiles();
for (const stale of readdirSync(schemasDir)) if (!(stale in files)) rmSync(join(schemasDir, stale));
for (const [name, schema] of Object.entries(files)) writeFileSync(join(schemasDir, name), render(schema));
process.stdout.write(`wrote api/openapi.json and ${Object.keys(files).length} schemas in api/schemas/\n`);
