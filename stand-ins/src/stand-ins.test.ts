import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestBucket,
  createTestDatabase,
  createTestDynamo,
  type TestDatabase,
  type TestDynamo,
} from './vitest/fixtures.js';

/** These prove the harness talks to real stores: the properties money depends on hold. */
describe('stand-ins', () => {
  let dynamo: TestDynamo;
  let db: TestDatabase;

  beforeAll(async () => {
    [dynamo, db] = await Promise.all([createTestDynamo(), createTestDatabase()]);
  });
  afterAll(async () => {
    await db.drop();
  });

  it('DynamoDB Local: of two concurrent conditional updates on one version, exactly one wins', async () => {
    // Prepare
    await dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.creditCache,
        Item: { pk: 'demo#u1', partner_id: 'demo', user_id: 'u1', available: 100, version: 0 },
      }),
    );
    const spend = (amount: number) =>
      dynamo.doc.send(
        new UpdateCommand({
          TableName: dynamo.tables.creditCache,
          Key: { pk: 'demo#u1' },
          UpdateExpression: 'SET available = available - :amount, version = version + :one',
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':amount': amount, ':one': 1, ':expected': 0 },
          ReturnValues: 'ALL_NEW',
        }),
      );

    // Act
    const outcomes = await Promise.allSettled([spend(60), spend(70)]);

    // Assess
    const won = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    const lost = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect((lost[0] as PromiseRejectedResult).reason).toBeInstanceOf(
      ConditionalCheckFailedException,
    );
  });

  it('PostgreSQL: a row lock blocks a second connection until the first commits', async () => {
    // Prepare
    await db.sql.query("INSERT INTO users (partner_id, user_id) VALUES ('demo', 'u1')");
    await db.sql.query(
      "INSERT INTO credit_balance (partner_id, user_id, balance) VALUES ('demo', 'u1', 100)",
    );
    const first = new pg.Client({ connectionString: db.url });
    const second = new pg.Client({ connectionString: db.url });
    await Promise.all([first.connect(), second.connect()]);
    await first.query('BEGIN');
    await first.query("SELECT balance FROM credit_balance WHERE user_id = 'u1' FOR UPDATE");

    // Act: the second connection asks for the same lock without waiting
    await second.query("SET lock_timeout = '200ms'");
    const blocked = await second
      .query("SELECT balance FROM credit_balance WHERE user_id = 'u1' FOR UPDATE")
      .then(
        () => 'acquired',
        (error: unknown) => (error as { code?: string }).code,
      );
    await first.query("UPDATE credit_balance SET balance = balance - 30 WHERE user_id = 'u1'");
    await first.query('COMMIT');
    const after = await second.query<{ balance: string }>(
      "SELECT balance FROM credit_balance WHERE user_id = 'u1' FOR UPDATE",
    );

    // Assess
    expect(blocked).toBe('55P03'); // lock_not_available
    expect(after.rows[0]?.balance).toBe('70');
    await Promise.all([first.end(), second.end()]);
  });

  it('s3rver: an object written is read back byte for byte', async () => {
    // Prepare
    const { s3, bucket } = await createTestBucket();
    const body = 'user_id,amount,deposit_id,timestamp\nu1,10.00,d1,2026-01-01T00:00:00Z\n';

    // Act
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'inbox/a.csv', Body: body }));
    const read = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'inbox/a.csv' }));

    // Assess
    expect(await read.Body?.transformToString()).toBe(body);
  });
});
