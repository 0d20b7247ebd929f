import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../lib/paths.js';
import { renderStackPlan } from '../testing/plan-run.js';

/** The checked-in offline plan must be what the program renders now. */
export const describePlan = (stack: string): void => {
  describe(`offline plan ${stack}`, () => {
    it(`infra/plans/${stack}.md and .json are up to date (else run: pnpm infra:plan ${stack})`, async () => {
      const { markdown, json } = await renderStackPlan(stack);
      const read = (ext: string): string =>
        readFileSync(join(repoRoot, 'infra', 'plans', `${stack}.${ext}`), 'utf8');
      expect(json, `infra/plans/${stack}.json is stale: run pnpm infra:plan ${stack}`).toBe(
        read('json'),
      );
      expect(markdown, `infra/plans/${stack}.md is stale: run pnpm infra:plan ${stack}`).toBe(
        read('md'),
      );
      expect(markdown).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?!\.000)/);
    });
  });
};
