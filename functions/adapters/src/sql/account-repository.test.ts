import { PermanentStoreError } from '@creditline/domain';
import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccountRepository } from './account-repository.js';

describe('account repository (the books behind CreditCache)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.sql.query(`
      INSERT INTO users (partner_id, user_id, status, currency, per_transaction_limit) VALUES
        ('acme', 'u-active', 'ACTIVE', 'USD', NULL),
        ('acme', 'u-limited', 'SUSPENDED', 'EUR', 5000),
        ('acme', 'u-new', 'ACTIVE', 'USD', NULL),
        ('globex', 'u-globex', 'ACTIVE', 'USD', NULL)`);
    await db.sql.query(
      `INSERT INTO credit_balance (partner_id, user_id, balance) VALUES ('acme', 'u-active', 12345), ('acme', 'u-limited', 9007199254740000), ('globex', 'u-globex', 777)`,
    );
  });
  afterAll(async () => {
    await db.drop();
  });

  it.each([
    {
      user: 'u-active',
      account: {
        user_id: 'u-active',
        available: 12345,
        pending: 0,
        version: 0,
        status: 'ACTIVE',
        currency: 'USD',
        per_transaction_limit: null,
      },
    },
    {
      user: 'u-limited',
      account: {
        user_id: 'u-limited',
        available: 9007199254740000,
        pending: 0,
        version: 0,
        status: 'SUSPENDED',
        currency: 'EUR',
        per_transaction_limit: 5000,
      },
    },
    {
      user: 'u-new',
      account: {
        user_id: 'u-new',
        available: 0,
        pending: 0,
        version: 0,
        status: 'ACTIVE',
        currency: 'USD',
        per_transaction_limit: null,
      },
    },
  ])('reads $user as the account a cache seed starts from', async ({ user, account }) => {
    await expect(createAccountRepository(db.sql).find('acme', user)).resolves.toEqual(account);
  });

  it('reads an unknown user as null', async () => {
    await expect(createAccountRepository(db.sql).find('acme', 'u-unknown')).resolves.toBeNull();
    // Another partner's user is no user of this one.
    await expect(createAccountRepository(db.sql).find('acme', 'u-globex')).resolves.toBeNull();
    await expect(createAccountRepository(db.sql).find('globex', 'u-active')).resolves.toBeNull();
  });

  it('takes the user id as a parameter, never as SQL', async () => {
    await expect(
      createAccountRepository(db.sql).find('acme', "u-active' OR '1'='1"),
    ).resolves.toBeNull();
  });

  it('refuses a row the contract cannot hold', async () => {
    // Prepare: a currency the contract rejects
    await db.sql.query(
      `INSERT INTO users (partner_id, user_id, currency) VALUES ('acme', 'u-odd', 'us$')`,
    );

    // Act / Assess
    await expect(createAccountRepository(db.sql).find('acme', 'u-odd')).rejects.toBeInstanceOf(
      PermanentStoreError,
    );
  });
});
