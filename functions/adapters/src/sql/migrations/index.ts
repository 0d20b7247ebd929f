import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migrationFromFile, type Migration } from '../migrate.js';

/** The directory holding `NNN_name.sql` files (bundlers embed them; see infra/migrator). */
export const migrationsDirectory = fileURLToPath(new URL('.', import.meta.url));

/** Reads the migrations from disk (local runtime, tests). */
export const loadMigrations = (directory: string = migrationsDirectory): Migration[] =>
  readdirSync(directory)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => migrationFromFile(file, readFileSync(`${directory}/${file}`, 'utf8')));
