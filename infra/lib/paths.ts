import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (the folder that holds Pulumi.yaml). */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where `pnpm build` writes one folder per function bundle. */
export const distFunctionsDir = join(repoRoot, 'dist', 'functions');

/** The SQL migrations the migrator applies, `NNN_name.sql`, owned by @creditline/adapters. */
export const migrationsDir = join(repoRoot, 'functions', 'adapters', 'src', 'sql', 'migrations');

export const fromRepo = (path: string): string => relative(repoRoot, path).split('\\').join('/');

export const exists = (path: string): boolean => existsSync(path);
