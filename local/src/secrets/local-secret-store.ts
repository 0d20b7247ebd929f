import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

/**
 * Secrets Manager for the local runtime: secret values by name, in `<dataDir>/secrets.json`
 * (rewritten atomically). The runtime's functions read `values` live (a rotation shows at
 * once); the CLI changes them through the runtime's AWS endpoint with the real Secrets Manager
 * client (GetSecretValue / PutSecretValue), as an operator would in AWS.
 */
export interface LocalSecretStore {
  /** The current values, updated in place by `put`. */
  readonly values: Readonly<Record<string, string>>;
  get(name: string): string | undefined;
  put(name: string, value: string): void;
}

const fileSchema = z.record(z.string(), z.string());

export const createLocalSecretStore = (file: string, defaults: Readonly<Record<string, string>>): LocalSecretStore => {
  let stored: Record<string, string> = {};
  try {
    stored = fileSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    // No file yet (a fresh data dir): the defaults.
  }
  const values: Record<string, string> = { ...defaults, ...stored };
  const persist = (): void => {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(values, null, 2), { mode: 0o600 });
    renameSync(temporary, file);
  };
  return {
    values,
    get: (name) => values[name],
    put(name, value) {
      values[name] = value;
      persist();
    },
  };
};
