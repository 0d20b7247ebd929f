/**
 * Pulumi entry point (Pulumi.yaml: `main: infra/`). Reads and validates the stack config,
 * bundles the functions whose handlers exist (set CREDITLINE_SKIP_BUILD=1 when `pnpm build`
 * already ran), then declares the stack. Tests and the offline plan call `createCreditline`
 * directly under mocks and never build.
 */
import * as pulumi from '@pulumi/pulumi';
import { availableFunctions, buildFunction, formatSize } from './lib/bundle.js';
import { parseStackConfig, rawConfigFromPulumi, StackConfigError } from './lib/config.js';
import { migrationsDir } from './lib/paths.js';
import { readMigrations } from './migrator/migrations.js';
import { createCreditline } from './program.js';

const load = (): ReturnType<typeof parseStackConfig> => {
  try {
    return parseStackConfig(pulumi.getStack(), rawConfigFromPulumi(pulumi.runtime.allConfig()));
  } catch (error) {
    if (error instanceof StackConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
};

const config = load();
const available = availableFunctions();
if (process.env['CREDITLINE_SKIP_BUILD'] !== '1') {
  for (const name of available) {
    // Top-level await: the archives exist before the program declares them.
    const result = await buildFunction(name);
    void pulumi.log.info(`bundled ${name}: ${formatSize(result.bytes ?? 0)}`);
  }
}
const outputs = createCreditline({ config, available, migrations: readMigrations(migrationsDir) });
for (const name of outputs.functionsNotDeployed) {
  void pulumi.log.warn(`${name} is not deployed: its handler does not exist yet`);
}

export const apiUrl = outputs.apiUrl;
export const busName = outputs.busName;
export const bucketNames = outputs.bucketNames;
export const dashboardUrl = outputs.dashboardUrl;
export const functionsNotDeployed = outputs.functionsNotDeployed;
