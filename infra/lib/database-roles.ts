import type { AppFunctionName } from './catalog.js';

/**
 * Which database role each function works as (created by migration 003, which this list must
 * match: a test reads the SQL). Each role has its own Secrets Manager secret, which the
 * function's DB_SECRET_ARN names and its IAM policy alone may read; only the migrator uses
 * the master secret. The validator, facing the internet, only reads.
 */
export type DatabaseAccess = 'read' | 'write';

export interface DatabaseRole {
  readonly role: string;
  readonly access: DatabaseAccess;
}

export const databaseRoles = {
  'transaction-validator': { role: 'creditline_validator', access: 'read' },
  'deposit-processor': { role: 'creditline_deposits', access: 'write' },
  'transaction-logger': { role: 'creditline_logger', access: 'write' },
  reconciliation: { role: 'creditline_reconciliation', access: 'write' },
} as const satisfies Partial<Record<AppFunctionName, DatabaseRole>>;

export type DatabaseUser = keyof typeof databaseRoles;
export const databaseUsers = Object.keys(databaseRoles) as DatabaseUser[];

export const isDatabaseUser = (name: string): name is DatabaseUser => name in databaseRoles;

/**
 * The migrator's environment: `{ "<role>": "<secret ARN>" }` for every function role, so it can
 * give each role its password after the migrations ran.
 */
export const roleSecretsVariable = 'DB_ROLE_SECRETS';
