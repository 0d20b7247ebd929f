import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { FunctionName } from '../lib/catalog.js';
import {
  parseStackConfig,
  rawConfigFromStackFile,
  type StackConfig,
  type Stage,
} from '../lib/config.js';
import { repoRoot } from '../lib/paths.js';
import type { Migration } from '../migrator/migrations.js';
import { installMocks, type RecordedResource } from './mocks.js';

export const mockAccountId = '111122223333';
/** The deploy time of every mocked run, so the plans show no wall-clock value. */
export const mockDeployTime = new Date('2026-01-15T08:30:00.000Z');

export const readRawStackConfig = (stack: string): Record<string, unknown> =>
  rawConfigFromStackFile(parse(readFileSync(join(repoRoot, `Pulumi.${stack}.yaml`), 'utf8')));

export const readStackConfig = (stack: string): StackConfig & { stage: Stage } =>
  // Mocked runs never reach AWS: the stack files' example values are fine here.
  parseStackConfig(stack, readRawStackConfig(stack), { placeholders: 'allow offline' });

export interface MockedRun {
  readonly config: StackConfig & { stage: Stage };
  readonly resources: readonly RecordedResource[];
  readonly outputs: Readonly<Record<string, unknown>>;
}

const settle = <T>(value: unknown): Promise<T> =>
  new Promise((resolve) => {
    if (
      value &&
      typeof value === 'object' &&
      'apply' in value &&
      typeof value.apply === 'function'
    ) {
      (value as { apply: (f: (v: T) => void) => void }).apply((v) => {
        resolve(v);
      });
    } else resolve(value as T);
  });

/**
 * Runs the program under mocks for one stack (one run per process: Pulumi's runtime state is
 * global) and returns every registered resource with its inputs, and the stack outputs.
 */
export const runMocked = async (options: {
  readonly stack: string;
  readonly config?: StackConfig & { stage: Stage };
  readonly available: readonly FunctionName[];
  readonly migrations: readonly Migration[];
}): Promise<MockedRun> => {
  const config = options.config ?? readStackConfig(options.stack);
  const recorder = await installMocks({
    project: 'creditline',
    stack: options.stack,
    region: config.region,
    accountId: mockAccountId,
  });
  const pulumi = await import('@pulumi/pulumi');
  const { createCreditline } = await import('../program.js');
  const outputs = createCreditline({
    config,
    available: options.available,
    migrations: options.migrations,
    deployedAt: mockDeployTime,
  });
  const resolved: Record<string, unknown> = {
    apiUrl: await settle(outputs.apiUrl),
    busName: await settle(outputs.busName),
    bucketNames: await settle(outputs.bucketNames),
    dashboardUrl: await settle(outputs.dashboardUrl),
    functionsNotDeployed: outputs.functionsNotDeployed,
  };
  await pulumi.runtime.disconnect();
  const seen = new Set<string>();
  for (const resource of recorder.resources) {
    const key = `${resource.type}::${resource.name}`;
    if (seen.has(key))
      throw new Error(`two resources of type ${resource.type} are named ${resource.name}`);
    seen.add(key);
  }
  return { config, resources: recorder.resources, outputs: resolved };
};
