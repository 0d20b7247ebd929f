import { availableFunctions } from '../lib/bundle.js';
import { migrationsDir } from '../lib/paths.js';
import { buildPlan, renderPlanJson, renderPlanMarkdown } from '../lib/plan.js';
import { readMigrations } from '../migrator/migrations.js';
import { placeholderProblems } from '../lib/placeholders.js';
import { readRawStackConfig, runMocked } from './run.js';

/** The plan of one stack as `pnpm infra:plan` writes it: functions wired as the tree has them. */
export const renderStackPlan = async (
  stack: string,
): Promise<{ markdown: string; json: string; resourceCount: number }> => {
  const run = await runMocked({
    stack,
    available: availableFunctions(),
    migrations: readMigrations(migrationsDir),
  });
  const functionsNotDeployed = run.outputs['functionsNotDeployed'];
  const plan = buildPlan(
    stack,
    run.resources,
    run.outputs,
    Array.isArray(functionsNotDeployed) ? functionsNotDeployed.map(String) : [],
    placeholderProblems(readRawStackConfig(stack)),
  );
  return {
    markdown: renderPlanMarkdown(plan),
    json: renderPlanJson(plan),
    resourceCount: plan.resources.length,
  };
};
