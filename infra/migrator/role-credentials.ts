import { randomBytes } from 'node:crypto';

/** What provisioning needs of the SQL port: one statement at a time. */
export interface StatementRunner {
  query(statement: string): Promise<unknown>;
}

/**
 * Gives each function's database role (migration 003) its password, kept in the function's own
 * Secrets Manager secret in the shape the Data API reads (`username`, `password`). The
 * password is made here, never in the Pulumi program, so it is in no state file and no plan.
 *
 * Idempotent and crash-safe: a secret that already holds a password is applied again (a
 * restored cluster converges), one that holds none gets a new password, set on the role first
 * and stored second. A crash between the two leaves the secret empty, so the next run makes
 * another password and sets both: the role never keeps a password no secret holds.
 */
export interface RoleSecretStore {
  /** The stored credentials, or null when the secret has no value yet. */
  read(secretArn: string): Promise<{ readonly username: string; readonly password: string } | null>;
  write(secretArn: string, value: string): Promise<void>;
}

export interface RoleCredentialsResult {
  readonly created: readonly string[];
  readonly reapplied: readonly string[];
}

const roleNamePattern = /^[a-z_][a-z0-9_]{0,62}$/;

/** 48 hex characters: 192 random bits, nothing that needs quoting anywhere. */
export const newPassword = (): string => randomBytes(24).toString('hex');

/** ALTER ROLE takes no bind parameters: the literal is quoted as PostgreSQL quotes it. */
export const setPasswordStatement = (role: string, password: string): string => {
  if (!roleNamePattern.test(role)) throw new Error(`not a role name: ${role}`);
  if (password.length < 16) throw new Error(`password of ${role} is too short`);
  return `ALTER ROLE ${role} WITH LOGIN PASSWORD '${password.replaceAll("'", "''")}'`;
};

export const provisionRoleCredentials = async (deps: {
  readonly sql: StatementRunner;
  readonly secrets: RoleSecretStore;
  /** `{ role: secretArn }` */
  readonly roles: Readonly<Record<string, string>>;
  readonly generatePassword?: () => string;
}): Promise<RoleCredentialsResult> => {
  const created: string[] = [];
  const reapplied: string[] = [];
  for (const [role, secretArn] of Object.entries(deps.roles).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const stored = await deps.secrets.read(secretArn);
    if (stored !== null && stored.username !== role)
      throw new Error(
        `secret ${secretArn} holds the credentials of ${stored.username}, not ${role}`,
      );
    const password = stored?.password ?? (deps.generatePassword ?? newPassword)();
    await deps.sql.query(setPasswordStatement(role, password));
    if (stored === null) {
      await deps.secrets.write(
        secretArn,
        JSON.stringify({ engine: 'postgres', username: role, password }),
      );
      created.push(role);
    } else reapplied.push(role);
  }
  return { created, reapplied };
};
