import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isAlive } from '@creditline/stand-ins';
import { runtimeInfoSchema, type RuntimeInfo } from '../runtime/settings.js';
import { UsageError } from './command.js';

const infoFile = (dataDir: string): string => join(resolve(dataDir), 'runtime.json');

export const writeRuntimeInfo = (dataDir: string, info: RuntimeInfo): void => {
  writeFileSync(infoFile(dataDir), `${JSON.stringify(info, null, 2)}\n`);
};

export const removeRuntimeInfo = (dataDir: string): void => {
  rmSync(infoFile(dataDir), { force: true });
};

/** Where the running `creditline start` listens; a clear error when nothing runs. */
export const readRuntimeInfo = (dataDir: string): RuntimeInfo => {
  let info: RuntimeInfo;
  try {
    info = runtimeInfoSchema.parse(JSON.parse(readFileSync(infoFile(dataDir), 'utf8')));
  } catch {
    throw new UsageError(`creditline is not running (no ${infoFile(dataDir)}): start it with \`pnpm start\``);
  }
  if (!isAlive(info.pid)) throw new UsageError(`creditline is not running (process ${info.pid} is gone): start it with \`pnpm start\``);
  return info;
};
