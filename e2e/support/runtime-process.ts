import { freePort, isAlive, stopOrphan, stopOrphanPostmaster } from '@creditline/stand-ins';
import { execFileSync, spawn, type ChildProcessByStdio } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { runtimeInfoSchema, type RuntimeInfo } from '../../local/src/runtime/settings.js';
import { repoRoot } from './repo-root.js';
import { waitFor } from './wait-for.js';

export interface RuntimePorts {
  readonly api: number;
  readonly aws: number;
  readonly s3: number;
  readonly dynamodb: number;
  readonly postgres: number;
}

/** `creditline start` running as a child process, as a developer runs it in a terminal. */
export interface RuntimeProcess {
  readonly dataDir: string;
  readonly ports: RuntimePorts;
  readonly pid: number;
  /** What `start` wrote to `<data-dir>/runtime.json` once ready. */
  readonly info: RuntimeInfo;
  /** Everything it printed so far (stdout and stderr). */
  output(): string;
  /** Ctrl-C in its terminal (SIGINT to its process group), then its exit code once stopped. */
  stop(): Promise<number | null>;
  /** `kill -9`: no shutdown at all, the stand-ins it started are orphaned. */
  kill(): Promise<void>;
}

const DIR_PREFIX = 'creditline-e2e-';
const OWNER_FILE = 'owner.pid';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 60_000;

/** Five distinct free ports (the OS could hand a just-closed port out twice). */
export const freePorts = async (): Promise<RuntimePorts> => {
  const taken = new Set<number>();
  while (taken.size < 5) taken.add(await freePort());
  const [api = 0, aws = 0, s3 = 0, dynamodb = 0, postgres = 0] = [...taken];
  return { api, aws, s3, dynamodb, postgres };
};

/**
 * A fresh data dir for one runtime. World-traversable, so that PostgreSQL (which runs as the
 * `postgres` user when the tests run as root) keeps its data inside it rather than under
 * /var/tmp: everything a run leaves is in one folder, and its processes name that folder.
 */
export const createDataDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), DIR_PREFIX));
  chmodSync(dir, 0o755);
  writeFileSync(join(dir, OWNER_FILE), `${process.pid}\n`);
  return dir;
};

/**
 * Stops whatever still runs from `dataDir` (a runtime, its DynamoDB Local and PostgreSQL) and
 * removes the folder: the end of every test's data dir, whatever state the test left it in.
 */
export const removeDataDir = async (dataDir: string): Promise<void> => {
  const runtime = runtimeInfoSchema.safeParse(safeJson(readText(join(dataDir, 'runtime.json'))));
  if (runtime.success && isAlive(runtime.data.pid)) process.kill(runtime.data.pid, 'SIGKILL');
  await stopOrphan(join(dataDir, 'dynamodb-local.pid'));
  await stopOrphanPostmaster(join(dataDir, 'postgres'));
  rmSync(dataDir, { recursive: true, force: true });
};

/**
 * Removes the data dirs of earlier e2e runs that were killed before their clean-up, stopping
 * what they left running. A folder whose owner is alive belongs to a concurrent run: left alone.
 */
export const reapEarlierRuns = async (): Promise<void> => {
  for (const entry of readdirSync(tmpdir())) {
    if (!entry.startsWith(DIR_PREFIX)) continue;
    const dir = join(tmpdir(), entry);
    const owner = Number(readText(join(dir, OWNER_FILE)).trim());
    if (!Number.isInteger(owner) || owner <= 0 || isAlive(owner)) continue;
    await removeDataDir(dir);
  }
};

const readText = (file: string): string => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Processes still running whose command line names `dataDir`: DynamoDB Local's -dbPath, PostgreSQL's -D. */
export const processesOf = (dataDir: string): string[] =>
  execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes(dataDir) && !line.includes(' ps -eo'));

/**
 * Starts `node --import tsx local/src/cli.ts start` (one process: a kill reaches the runtime
 * itself, not a launcher) on `dataDir` and `ports`, in its own process group as a terminal
 * would, and resolves once it has written its runtime.json. Schedules off: reconciliation runs
 * when a test asks.
 */
export const startRuntimeProcess = async (
  dataDir: string,
  ports: RuntimePorts,
): Promise<RuntimeProcess> => {
  const flags = {
    '--data-dir': dataDir,
    '--port': ports.api,
    '--aws-port': ports.aws,
    '--s3-port': ports.s3,
    '--dynamodb-port': ports.dynamodb,
    '--postgres-port': ports.postgres,
    '--reconcile-every': 0,
  };
  const args = ['--import', 'tsx', 'local/src/cli.ts', 'start'];
  for (const [flag, value] of Object.entries(flags)) args.push(flag, String(value));
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const { pid } = child;
  if (pid === undefined) throw new Error('creditline start did not spawn');
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  const info = await waitFor(
    'runtime.json of the started runtime',
    () => {
      if (exitCode !== undefined)
        throw new Error(
          `creditline start exited with ${String(exitCode)} before it was ready:\n${output}`,
        );
      const parsed = runtimeInfoSchema.safeParse(safeJson(readText(join(dataDir, 'runtime.json'))));
      // A killed earlier runtime leaves its runtime.json behind: only this child's counts.
      return parsed.success && parsed.data.pid === pid ? parsed.data : undefined;
    },
    { timeoutMs: START_TIMEOUT_MS, intervalMs: 100 },
  ).catch((error: unknown) => {
    process.kill(-pid, 'SIGKILL');
    throw error;
  });

  /** `group`: the terminal's Ctrl-C reaches every process of the group; `process`: kill <pid>. */
  const signalAndWait = async (
    signal: NodeJS.Signals,
    target: 'group' | 'process',
    timeoutMs: number,
  ): Promise<number | null> => {
    if (exitCode !== undefined) return exitCode;
    process.kill(target === 'group' ? -pid : pid, signal);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        process.kill(-pid, 'SIGKILL');
        reject(
          new Error(
            `creditline start did not stop within ${timeoutMs / 1000} s of ${signal}:\n${output}`,
          ),
        );
      }, timeoutMs);
    });
    try {
      return await Promise.race([exited, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    dataDir,
    ports,
    pid,
    info,
    output: () => output,
    stop: () => signalAndWait('SIGINT', 'group', STOP_TIMEOUT_MS),
    kill: async () => {
      await signalAndWait('SIGKILL', 'process', 10_000);
    },
  };
};
