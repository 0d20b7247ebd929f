import { expect } from 'vitest';
import { processesOf, removeDataDir, type RuntimeProcess } from './runtime-process.js';

/**
 * Ctrl-C in the runtime's terminal must stop it all: "creditline stopped." last, exit 0, and no
 * DynamoDB Local or PostgreSQL of its data dir left running. The stand-ins share the terminal's
 * process group, so they get the same SIGINT and may be gone before the runtime stops its
 * pollers: a line such as `pipe: connect ECONNREFUSED` can come between "stopping..." and
 * "stopped." (nothing is lost: the checkpoint did not move). The data dir is removed whatever
 * the outcome.
 */
export const expectCleanCtrlC = async (runtime: RuntimeProcess): Promise<void> => {
  try {
    const code = await runtime.stop();
    expect(runtime.output()).toMatch(/\nSIGINT: stopping\.\.\.\n(.*\n)*creditline stopped\.\n$/);
    expect(code).toBe(0);
    expect(processesOf(runtime.dataDir)).toEqual([]);
  } finally {
    await removeDataDir(runtime.dataDir);
  }
};
