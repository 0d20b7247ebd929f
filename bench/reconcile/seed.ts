import {
  BatchWriteItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import type { SqlClient } from '../../domain/src/ports/sql-client.js';
import type { TableNames } from '../../functions/adapters/src/definitions/tables.js';
import {
  DEPOSITS,
  PENDING_PERMITS,
  REJECTED_EVERY,
  TRANSACTIONS,
  USERS,
  depositAmount,
  depositId,
  depositUser,
  pendingAmount,
  pendingId,
  pendingUser,
  userId,
} from './world.js';
import { unsettledShardKey } from '../../functions/adapters/src/dynamodb/transaction-log-item.js';

/** PostgreSQL in a few set-based statements: users, deposits and transactions from generate_series, balances from the ledger. */
export const seedPostgres = async (sql: SqlClient): Promise<void> => {
  const user = (expression: string) => `'user-' || lpad((${expression})::text, 5, '0')`;
  await sql.query(
    `INSERT INTO users (user_id) SELECT ${user('u')} FROM generate_series(1, ${USERS}) u`,
  );
  await sql.query(`
    INSERT INTO deposits (deposit_id, user_id, amount, deposited_at, source_key, source_line, credited_at)
    SELECT 'dep-' || lpad(i::text, 7, '0'), ${user(`1 + i % ${USERS}`)}, 1000 + (i::bigint * 7919) % 9000,
           timestamptz '2026-11-01 00:00:00Z' + i * interval '1 second', 'inbox/bench-' || (i / 150000) || '.csv', 2 + i % 150000,
           timestamptz '2026-11-01 00:00:00Z' + i * interval '1 second'
    FROM generate_series(0, ${DEPOSITS - 1}) i`);
  await sql.query(`
    INSERT INTO transactions (transaction_id, user_id, amount, currency, status, reason, remaining_credit, decided_at, settled_at)
    SELECT 'txn-' || lpad(i::text, 7, '0'), ${user(`1 + (i * 7) % ${USERS}`)}, 100 + i % 500, 'USD',
           CASE WHEN i % ${REJECTED_EVERY} = 0 THEN 'REJECTED' ELSE 'PERMITTED' END,
           CASE WHEN i % ${REJECTED_EVERY} = 0 THEN 'INSUFFICIENT_FUNDS' END, 0,
           timestamptz '2026-11-20 00:00:00Z' + i * interval '1 second', timestamptz '2026-11-20 00:00:01Z' + i * interval '1 second'
    FROM generate_series(0, ${TRANSACTIONS - 1}) i`);
  await sql.query(`
    INSERT INTO credit_balance (user_id, balance)
    SELECT u.user_id, coalesce(d.total, 0) - coalesce(t.total, 0)
    FROM users u
    LEFT JOIN (SELECT user_id, sum(amount) AS total FROM deposits GROUP BY user_id) d ON d.user_id = u.user_id
    LEFT JOIN (SELECT user_id, sum(amount) AS total FROM transactions WHERE status = 'PERMITTED' GROUP BY user_id) t ON t.user_id = u.user_id`);
  await sql.query('ANALYZE');
};

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: number): AttributeValue => ({ N: String(value) });

/** BatchWriteItem, 25 items a request, `concurrency` requests in flight, unprocessed items sent again. */
const writeAll = async (
  client: DynamoDBClient,
  table: string,
  count: number,
  item: (index: number) => Record<string, AttributeValue>,
  concurrency: number,
) => {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const start = next;
      next = Math.min(count, next + 25);
      let requests: WriteRequest[] = [];
      for (let index = start; index < next; index += 1)
        requests.push({ PutRequest: { Item: item(index) } });
      for (let attempt = 0; requests.length > 0; attempt += 1) {
        if (attempt > 0)
          await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 20 * 2 ** attempt)));
        const { UnprocessedItems } = await client.send(
          new BatchWriteItemCommand({ RequestItems: { [table]: requests } }),
        );
        requests = UnprocessedItems?.[table] ?? [];
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

/**
 * DynamoDB as the pipelines leave it: a DepositEvents item per deposit, a CreditCache item per
 * user holding the Aurora balance minus its pending permits, and the pending permits in the
 * TransactionLog (settled decisions left the sparse `unsettled` index, so they are not seeded:
 * reconciliation never reads them).
 */
export const seedDynamoDb = async (
  client: DynamoDBClient,
  tables: TableNames,
  balances: ReadonlyMap<string, number>,
  concurrency = 24,
): Promise<number> => {
  const held = new Map<string, { amount: number; holds: number }>();
  for (let index = 0; index < PENDING_PERMITS; index += 1) {
    const user = userId(pendingUser(index));
    const current = held.get(user) ?? { amount: 0, holds: 0 };
    held.set(user, { amount: current.amount + pendingAmount(index), holds: current.holds + 1 });
  }
  const decidedAt = new Date(Date.now() - 60_000).toISOString();
  await Promise.all([
    writeAll(
      client,
      tables.depositEvents,
      DEPOSITS,
      (index) => ({
        deposit_id: S(depositId(index)),
        user_id: S(userId(depositUser(index))),
        amount: N(depositAmount(index)),
        deposited_at: S(new Date(Date.UTC(2026, 10, 1) + index * 1_000).toISOString()),
        source_key: S(`inbox/bench-${Math.floor(index / 150_000)}.csv`),
        source_line: N(2 + (index % 150_000)),
        credited_at: S(new Date(Date.UTC(2026, 10, 1) + index * 1_000).toISOString()),
      }),
      concurrency,
    ),
    writeAll(
      client,
      tables.creditCache,
      USERS,
      (index) => {
        const user = userId(index + 1);
        const hold = held.get(user) ?? { amount: 0, holds: 0 };
        return {
          user_id: S(user),
          available: N((balances.get(user) ?? 0) - hold.amount),
          version: N(40 + hold.holds),
          account_status: S('ACTIVE'),
          currency: S('USD'),
        };
      },
      4,
    ),
    writeAll(
      client,
      tables.transactionLog,
      PENDING_PERMITS,
      (index) => ({
        transaction_id: S(pendingId(index)),
        user_id: S(userId(pendingUser(index))),
        amount: N(pendingAmount(index)),
        currency: S('USD'),
        status: S('PERMITTED'),
        reason: { NULL: true },
        remaining_credit: N(0),
        decided_at: S(decidedAt),
        fingerprint: S(`fp-${index}`),
        settlement_state: S(unsettledShardKey(pendingId(index))),
      }),
      2,
    ),
  ]);
  return DEPOSITS + USERS + PENDING_PERMITS;
};
