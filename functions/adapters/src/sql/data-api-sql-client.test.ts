import { RDSDataClient } from '@aws-sdk/client-rds-data';
import { PermanentStoreError, RetryableStoreError } from '@creditline/domain';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDataApiSqlClient } from './data-api-sql-client.js';

/**
 * The Data API cannot run here, so a small HTTP endpoint on 127.0.0.1 stands in for it: the real
 * SDK client sends real requests, which are recorded and asserted, and canned responses in the
 * service's documented shapes exercise the mapping.
 */
interface Recorded {
  readonly path: string;
  readonly body: Record<string, unknown>;
}
type Reply = { status: number; body: unknown; errorType?: string };

describe('RDS Data API SQL client', () => {
  let server: Server;
  let endpoint: string;
  const recorded: Recorded[] = [];
  let replies: Reply[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        recorded.push({ path: request.url ?? '', body: JSON.parse(text || '{}') as Record<string, unknown> });
        const reply = replies.shift() ?? { status: 200, body: {} };
        response.writeHead(reply.status, {
          'content-type': 'application/json',
          ...(reply.errorType ? { 'x-amzn-errortype': reply.errorType } : {}),
        });
        response.end(JSON.stringify(reply.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => {
    recorded.length = 0;
    replies = [];
  });

  const target = { resourceArn: 'arn:aws:rds:eu-west-1:1:cluster:c', secretArn: 'arn:aws:secretsmanager:eu-west-1:1:secret:s', database: 'creditline' };
  const client = () =>
    createDataApiSqlClient(
      new RDSDataClient({ endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 }),
      target,
    );

  it('sends named, typed parameters for exactly the names the statement uses', async () => {
    // Prepare
    replies = [{ status: 200, body: { numberOfRecordsUpdated: 1 } }];

    // Act
    const result = await client().query(
      "INSERT INTO deposits (deposit_id, amount, deposited_at, note) VALUES (:id, :amount, :at::timestamptz, ':skip') -- :id again",
      { id: 'd1', amount: 1250, at: '2026-11-25T00:00:00.000Z', unused: 'x', rate: 0.5 } as const,
    );

    // Assess
    expect(recorded[0]?.path).toBe('/Execute');
    expect(recorded[0]?.body).toEqual({
      ...target,
      sql: "INSERT INTO deposits (deposit_id, amount, deposited_at, note) VALUES (:id, :amount, :at::timestamptz, ':skip') -- :id again",
      parameters: [
        { name: 'id', value: { stringValue: 'd1' } },
        { name: 'amount', value: { longValue: 1250 } },
        { name: 'at', value: { stringValue: '2026-11-25T00:00:00.000Z' } },
      ],
      includeResultMetadata: true,
    });
    expect(result.rowCount).toBe(1);
  });

  it('maps records by column metadata: longs, booleans, nulls, text, timestamps as ISO', async () => {
    // Prepare
    replies = [
      {
        status: 200,
        body: {
          columnMetadata: [
            { name: 'user_id', label: 'user_id', typeName: 'text' },
            { name: 'balance', label: 'balance', typeName: 'int8' },
            { name: 'active', label: 'active', typeName: 'bool' },
            { name: 'updated_at', label: 'updated_at', typeName: 'timestamptz' },
            { name: 'limit', label: 'limit', typeName: 'int8' },
          ],
          records: [[{ stringValue: 'u1' }, { longValue: 9_000_000_000_000 }, { booleanValue: true }, { stringValue: '2026-11-25 16:28:00.5' }, { isNull: true }]],
        },
      },
    ];

    // Act
    const { rows, rowCount } = await client().query('SELECT user_id, balance, active, updated_at, "limit" FROM t');

    // Assess
    expect(rows).toEqual([{ user_id: 'u1', balance: 9_000_000_000_000, active: true, updated_at: '2026-11-25T16:28:00.500Z', limit: null }]);
    expect(rowCount).toBe(1);
  });

  it('runs a transaction as Begin, Execute with the transactionId, Commit', async () => {
    // Prepare
    replies = [
      { status: 200, body: { transactionId: 'tx-1' } },
      { status: 200, body: { numberOfRecordsUpdated: 1 } },
      { status: 200, body: { transactionStatus: 'Transaction Committed' } },
    ];

    // Act
    await client().transaction((tx) => tx.query('UPDATE credit_balance SET balance = balance + :amount', { amount: 5 }));

    // Assess
    expect(recorded.map((request) => request.path)).toEqual(['/BeginTransaction', '/Execute', '/CommitTransaction']);
    expect(recorded[0]?.body).toEqual(target);
    expect(recorded[1]?.body).toMatchObject({ transactionId: 'tx-1' });
    expect(recorded[2]?.body).toEqual({ resourceArn: target.resourceArn, secretArn: target.secretArn, transactionId: 'tx-1' });
  });

  it('rolls back when the work throws', async () => {
    // Prepare
    replies = [{ status: 200, body: { transactionId: 'tx-2' } }, { status: 200, body: { transactionStatus: 'Rollback Complete' } }];

    // Act
    const outcome = client().transaction(() => Promise.reject(new Error('business failure')));

    // Assess
    await expect(outcome).rejects.toThrow('business failure');
    expect(recorded.map((request) => request.path)).toEqual(['/BeginTransaction', '/RollbackTransaction']);
    expect(recorded[1]?.body).toMatchObject({ transactionId: 'tx-2' });
  });

  it.each([
    { errorType: 'DatabaseResumingException', status: 400, message: 'Database is resuming', retryable: true, code: 'DatabaseResumingException' },
    { errorType: 'StatementTimeoutException', status: 400, message: 'timeout', retryable: true, code: 'StatementTimeoutException' },
    { errorType: 'BadRequestException', status: 400, message: 'ERROR: could not serialize access; SQLState: 40001', retryable: true, code: '40001' },
    { errorType: 'DatabaseErrorException', status: 400, message: 'ERROR: duplicate key value; SQLState: 23505', retryable: false, code: '23505' },
    { errorType: 'ForbiddenException', status: 403, message: 'not allowed', retryable: false, code: 'ForbiddenException' },
  ])('maps $errorType ($code) to a typed error, retryable=$retryable', async ({ errorType, status, message, retryable, code }) => {
    // Prepare
    replies = [{ status, errorType, body: { message } }];

    // Act
    const outcome = client().query('SELECT 1');

    // Assess
    await expect(outcome).rejects.toBeInstanceOf(retryable ? RetryableStoreError : PermanentStoreError);
    await expect(client().query('SELECT 1').catch((error: unknown) => error)).resolves.toBeDefined();
    await expect(outcome).rejects.toMatchObject({ retryable, code });
  });

  it('refuses a long beyond the exact integer range', async () => {
    replies = [{ status: 200, body: { columnMetadata: [{ name: 'n', typeName: 'int8' }], records: [[{ longValue: 2 ** 53 + 2 }]] } }];
    await expect(client().query('SELECT n')).rejects.toBeInstanceOf(PermanentStoreError);
  });
});
