/**
 * `pnpm infra:plan <stack> [--check]`: runs the program under mocks with the stack's config
 * (Pulumi.<stack>.yaml) and writes infra/plans/<stack>.md and .json. With --check it writes
 * nothing and fails when the checked-in files differ. No network, no Pulumi CLI.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { renderStackPlan } from '../testing/plan-run.js';
import { repoRoot } from '../lib/paths.js';

const [stack, flag] = process.argv.slice(2);
if (!stack) {
  console.error('usage: pnpm infra:plan <stack> [--check]');
  process.exit(2);
}

const { markdown, json, resourceCount } = await renderStackPlan(stack);
const dir = join(repoRoot, 'infra', 'plans');
const files = [
  { path: join(dir, `${stack}.md`), text: markdown },
  { path: join(dir, `${stack}.json`), text: json },
];
if (flag === '--check') {
  const stale = files.filter(
    (file) => !existsSync(file.path) || readFileSync(file.path, 'utf8') !== file.text,
  );
  if (stale.length > 0) {
    console.error(`plan for ${stack} is out of date: run pnpm infra:plan ${stack}`);
    process.exit(1);
  }
  console.log(`plan for ${stack} is up to date (${resourceCount} resources)`);
} else {
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(file.path, file.text);
  console.log(
    `wrote infra/plans/${stack}.md and infra/plans/${stack}.json (${resourceCount} resources)`,
  );
}
