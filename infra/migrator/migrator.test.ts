import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseRoles } from '../lib/database-roles.js';
import { migrationsDir } from '../lib/paths.js';
import { isFirstDeployTransient, retryFirstDeploy, type RetryClock } from './first-deploy-retry.js';
import {
  provisionRoleCredentials,
  setPasswordStatement,
  type RoleSecretStore,
  type StatementRunner,
} from './role-credentials.js';

/** Errors shaped as the adapters raise them (StoreError: retryable, code, cause). */
const storeError = (message: string, retryable: boolean, code: string, cause?: Error): Error =>
  Object.assign(new Error(message, cause ? { cause } : {}), {
    name: retryable ? 'RetryableStoreError' : 'PermanentStoreError',
    retryable,
    code,
  });

/** A clock whose sleeps pass at once and add up. */
const fakeClock = (): RetryClock & { slept: number[] } => {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: (ms) => {
      slept.push(ms);
      now += ms;
      return Promise.resolve();
    },
  };
};

const accessDenied = (): Error => {
  const error = new Error(
    'User: arn:aws:sts::111122223333:assumed-role/creditline-dev-migrator/x is not authorized to perform: rds-data:ExecuteStatement',
  );
  error.name = 'AccessDeniedException';
  return storeError(error.message, false, error.name, error);
};

describe('migrator: first-deploy errors', () => {
  it('tells the errors of a first deploy (IAM, KMS, Data API settling) from real failures', () => {
    expect(isFirstDeployTransient(accessDenied())).toBe(true);
    expect(isFirstDeployTransient(storeError('resuming', true, 'DatabaseResumingException'))).toBe(
      true,
    );
    const endpoint = new Error('HttpEndpoint is not enabled for cluster creditline-dev-aurora');
    endpoint.name = 'BadRequestException';
    expect(isFirstDeployTransient(endpoint)).toBe(true);
    const kms = new Error('Access to KMS is not allowed');
    kms.name = 'KMSAccessDeniedException';
    expect(isFirstDeployTransient(kms)).toBe(true);
    expect(
      isFirstDeployTransient(storeError('syntax error at or near "CREAT"', false, '42601')),
    ).toBe(false);
    expect(isFirstDeployTransient(new Error('relation "users" already exists'))).toBe(false);
  });

  it('retries AccessDenied until the policy has propagated, then succeeds', async () => {
    const clock = fakeClock();
    let calls = 0;
    const result = await retryFirstDeploy(
      () => {
        calls += 1;
        return calls < 4 ? Promise.reject(accessDenied()) : Promise.resolve('applied');
      },
      { deadline: 240_000, clock },
    );
    expect(result).toBe('applied');
    expect(calls).toBe(4);
    expect(clock.slept).toEqual([2_000, 4_000, 8_000]);
  });

  it('fails at once on a real error, and at the deadline on a transient one that does not pass', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      retryFirstDeploy(
        () => {
          calls += 1;
          return Promise.reject(storeError('syntax error', false, '42601'));
        },
        { deadline: 240_000, clock },
      ),
    ).rejects.toThrow('syntax error');
    expect(calls).toBe(1);

    const late = fakeClock();
    await expect(
      retryFirstDeploy(() => Promise.reject(accessDenied()), { deadline: 60_000, clock: late }),
    ).rejects.toThrow(/not authorized/);
    expect(late.now()).toBeLessThanOrEqual(60_000);
    expect(late.slept.length).toBeGreaterThan(2);
  });
});

/** Records the statements it is given. */
const recordingSql = (): StatementRunner & { statements: string[] } => {
  const statements: string[] = [];
  return {
    statements,
    query: (statement: string) => {
      statements.push(statement);
      return Promise.resolve({ rows: [] });
    },
  };
};

const memorySecrets = (failWrites = 0): RoleSecretStore & { values: Map<string, string> } => {
  const values = new Map<string, string>();
  let failures = failWrites;
  return {
    values,
    read: (arn) => {
      const text = values.get(arn);
      return Promise.resolve(
        text === undefined ? null : (JSON.parse(text) as { username: string; password: string }),
      );
    },
    write: (arn, value) => {
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new Error('crash before the secret was stored'));
      }
      values.set(arn, value);
      return Promise.resolve();
    },
  };
};

describe('migrator: function role credentials', () => {
  const roles = {
    creditline_validator: 'arn:secret:validator',
    creditline_logger: 'arn:secret:logger',
  };

  it('gives each role a new password, stored in its own secret in the Data API shape', async () => {
    const sql = recordingSql();
    const secrets = memorySecrets();
    let n = 0;
    const result = await provisionRoleCredentials({
      sql,
      secrets,
      roles,
      generatePassword: () => `password-number-${++n}-0123456789`,
    });
    expect(result).toEqual({
      created: ['creditline_logger', 'creditline_validator'],
      reapplied: [],
    });
    expect(sql.statements).toEqual([
      "ALTER ROLE creditline_logger WITH LOGIN PASSWORD 'password-number-1-0123456789'",
      "ALTER ROLE creditline_validator WITH LOGIN PASSWORD 'password-number-2-0123456789'",
    ]);
    expect(JSON.parse(secrets.values.get('arn:secret:validator') ?? '{}')).toEqual({
      engine: 'postgres',
      username: 'creditline_validator',
      password: 'password-number-2-0123456789',
    });

    // Run again (the next deploy): the same passwords are applied, none is made.
    const again = await provisionRoleCredentials({
      sql,
      secrets,
      roles,
      generatePassword: () => 'never-used-0123456789',
    });
    expect(again).toEqual({
      created: [],
      reapplied: ['creditline_logger', 'creditline_validator'],
    });
    expect(sql.statements.slice(2)).toEqual(sql.statements.slice(0, 2));
  });

  it('after a crash between setting the password and storing it, the next run converges', async () => {
    const sql = recordingSql();
    const secrets = memorySecrets(1);
    let n = 0;
    const generatePassword = () => `password-number-${++n}-0123456789`;
    await expect(
      provisionRoleCredentials({
        sql,
        secrets,
        roles: { creditline_logger: 'arn:l' },
        generatePassword,
      }),
    ).rejects.toThrow('crash');
    await provisionRoleCredentials({
      sql,
      secrets,
      roles: { creditline_logger: 'arn:l' },
      generatePassword,
    });
    const stored = JSON.parse(secrets.values.get('arn:l') ?? '{}') as { password: string };
    expect(sql.statements.at(-1)).toBe(
      `ALTER ROLE creditline_logger WITH LOGIN PASSWORD '${stored.password}'`,
    );
  });

  it('quotes the literal and refuses anything that is not a role name', () => {
    expect(setPasswordStatement('creditline_logger', "it's-a-long-password")).toBe(
      "ALTER ROLE creditline_logger WITH LOGIN PASSWORD 'it''s-a-long-password'",
    );
    expect(() => setPasswordStatement('x; DROP TABLE users', 'a-long-enough-password')).toThrow(
      'not a role name',
    );
  });

  it('refuses a secret that holds another role', async () => {
    const secrets = memorySecrets();
    secrets.values.set(
      'arn:v',
      JSON.stringify({ username: 'creditline_logger', password: 'p'.repeat(20) }),
    );
    await expect(
      provisionRoleCredentials({
        sql: recordingSql(),
        secrets,
        roles: { creditline_validator: 'arn:v' },
      }),
    ).rejects.toThrow('not creditline_validator');
  });

  it('knows exactly the roles migration 003 creates, with the access it grants', () => {
    const sql = readFileSync(join(migrationsDir, '003_function_roles.sql'), 'utf8');
    for (const { role, access } of Object.values(databaseRoles)) {
      expect(sql).toContain(`'${role}'`);
      expect(sql).toMatch(
        new RegExp(
          `GRANT creditline_${access === 'read' ? 'reader' : 'writer'} TO [^;]*\\b${role}\\b`,
        ),
      );
    }
  });
});
