import { expect } from 'vitest';
import { processesOf, removeDataDir, type RuntimeProcess } from './runtime-process.js';

/**
 * Ctrl-C in the runtime's terminal must stop it all cleanly: exit 0, "creditline stopped." right
 * after "stopping..." (no error on the way), and no DynamoDB Local or PostgreSQL of its data dir
 * left running. The data dir is removed whatever the outcome.
 */
export const expectCleanCtrlC = async (runtime: RuntimeProcess): Promise<void> => {
  try {
    const code = await runtime.stop();
    expect(runtime.output()).toMatch(/\nSIGINT: stopping\.\.\.\ncreditline stopped\.\n$/);
    expect(code).toBe(0);
    expect(processesOf(runtime.dataDir)).toEqual([]);
  } finally {
    await removeDataDir(runtime.dataDir);
  }
};
