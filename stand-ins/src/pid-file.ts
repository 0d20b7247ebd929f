import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/**
 * Stand-ins run as child processes. A `kill -9` of node orphans them, so each records its
 * pid, and the next start stops whatever an earlier run left behind before it begins.
 */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

export const stopOrphan = async (pidFile: string): Promise<void> => {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  } catch {
    return;
  }
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    process.kill(pid, 'SIGTERM');
    for (let i = 0; i < 100 && isAlive(pid); i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(pidFile, { force: true });
};

export const writePidFile = (pidFile: string, pid: number): void => {
  writeFileSync(pidFile, `${pid}\n`);
};
