import { afterAll, beforeAll } from 'vitest';
import type { RuntimeInfo } from '../../local/src/runtime/settings.js';
import { expectCleanCtrlC } from './clean-stop.js';
import {
  createDataDir,
  freePorts,
  reapEarlierRuns,
  removeDataDir,
  startRuntimeProcess,
  type RuntimeProcess,
} from './runtime-process.js';

export interface StartedRuntime {
  /** What the runtime wrote to runtime.json once ready; throws if it did not start. */
  readonly info: () => RuntimeInfo;
  /** Its data dir, for `--data-dir` on the CLI. */
  readonly dataDir: () => string;
}

/**
 * One `creditline start` for the scenarios of a describe block: started in beforeAll (after any
 * run an earlier, killed suite left behind is reaped), stopped with Ctrl-C in afterAll, where the
 * stop itself is checked to be clean.
 */
export const useStartedRuntime = (): StartedRuntime => {
  let dataDir: string | undefined;
  let runtime: RuntimeProcess | undefined;
  beforeAll(async () => {
    await reapEarlierRuns();
    const dir = createDataDir();
    dataDir = dir;
    runtime = await freePorts().then((ports) => startRuntimeProcess(dir, ports));
  }, 180_000);
  afterAll(async () => {
    if (runtime) await expectCleanCtrlC(runtime);
    else if (dataDir !== undefined) await removeDataDir(dataDir);
  }, 120_000);
  return {
    info: () => {
      if (!runtime) throw new Error('the runtime did not start');
      return runtime.info;
    },
    dataDir: () => {
      if (dataDir === undefined) throw new Error('the runtime did not start');
      return dataDir;
    },
  };
};
