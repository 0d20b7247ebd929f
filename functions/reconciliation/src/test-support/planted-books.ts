import { itemKey, scopedKey } from '@creditline/adapters/definitions';
import { DeleteCommand, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { TestDatabase, TestDynamo } from '@creditline/stand-ins/vitest';
import { unsettledShardKey } from '@creditline/adapters/dynamodb/transaction-log-item';

/**
 * Plants books in the real stores exactly as the pipelines leave them (item shapes from
 * `deposit-event-item.ts`, `credit-cache-item.ts`, `transaction-log-item.ts`; rows from the
 * migration), so a test starts from a consistent system and then breaks one thing on purpose.
 */
export interface PlantedBooks {
  user(userId: string): Promise<void>;
  /** A deposit as the DepositProcessor writes it: DepositEvents + CreditCache ADD, then Aurora. */
  deposit(
    userId: string,
    depositId: string,
    amount: number,
    where?: 'everywhere' | 'dynamodb-only',
  ): Promise<void>;
  /** A PERMIT the TransactionLogger has settled: hold in the cache, row and balance in Aurora. */
  settledPermit(
    userId: string,
    transactionId: string,
    amount: number,
    decidedAt: string,
  ): Promise<void>;
  /** A decision the outbox has not settled yet (a PERMIT's hold is in the cache, not in Aurora). */
  pendingDecision(
    userId: string,
    transactionId: string,
    amount: number,
    decidedAt: string,
    options?: { status?: 'PERMITTED' | 'REJECTED'; callbackUrl?: string; delivered?: boolean },
  ): Promise<void>;
  forgetDepositEvent(depositId: string): Promise<void>;
  shiftBalance(userId: string, cents: number): Promise<void>;
  shiftCache(userId: string, cents: number): Promise<void>;
  /** A hold as the TransactionValidator takes one: available down, version up. */
  hold(userId: string, amount: number): Promise<void>;
  cacheItem(userId: string): Promise<Record<string, unknown> | undefined>;
  balance(userId: string): Promise<number | null>;
}

/** The partner every planted row belongs to: reconciliation names its users `partner-a#<user>`. */
export const PLANT_PARTNER = 'partner-a';
const account = (userId: string) => ({ partner_id: PLANT_PARTNER, user_id: userId });

export const plantBooks = (dynamo: TestDynamo, db: TestDatabase): PlantedBooks => {
  const credit = (userId: string, cents: number) =>
    dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.creditCache,
        Key: itemKey(PLANT_PARTNER, userId),
        UpdateExpression: 'SET partner_id = :partner, user_id = :user ADD available :cents',
        ExpressionAttributeValues: { ':cents': cents, ':partner': PLANT_PARTNER, ':user': userId },
      }),
    );
  const hold = (userId: string, amount: number) =>
    dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.creditCache,
        Key: itemKey(PLANT_PARTNER, userId),
        UpdateExpression:
          'SET available = available - :amount, version = if_not_exists(version, :zero) + :one',
        ExpressionAttributeValues: { ':amount': amount, ':zero': 0, ':one': 1 },
      }),
    );
  const logDecision = (item: Record<string, unknown>) =>
    dynamo.doc.send(
      new PutCommand({
        TableName: dynamo.tables.transactionLog,
        Item: {
          ...itemKey(PLANT_PARTNER, String(item['transaction_id'])),
          account_key: scopedKey(PLANT_PARTNER, String(item['user_id'])),
          partner_id: PLANT_PARTNER,
          ...item,
        },
      }),
    );

  return {
    async user(userId) {
      await db.sql.query(
        'INSERT INTO users (partner_id, user_id) VALUES (:partner_id, :user_id)',
        account(userId),
      );
      await db.sql.query(
        'INSERT INTO credit_balance (partner_id, user_id, balance) VALUES (:partner_id, :user_id, 0)',
        account(userId),
      );
    },

    async deposit(userId, depositId, amount, where = 'everywhere') {
      const item = {
        partner_id: PLANT_PARTNER,
        deposit_id: depositId,
        user_id: userId,
        amount,
        deposited_at: '2026-11-24T12:00:00.000Z',
        source_key: 'inbox/partner-a.csv',
        source_line: 2,
        credited_at: '2026-11-24T12:00:05.000Z',
      };
      await dynamo.doc.send(
        new PutCommand({
          TableName: dynamo.tables.depositEvents,
          Item: { ...itemKey(PLANT_PARTNER, depositId), ...item },
        }),
      );
      await credit(userId, amount);
      if (where === 'dynamodb-only') return;
      await db.sql.query(
        `INSERT INTO deposits (partner_id, deposit_id, user_id, amount, deposited_at, source_key, source_line, credited_at)
         VALUES (:partner_id, :deposit_id, :user_id, :amount, :deposited_at::timestamptz, :source_key, :source_line, :credited_at::timestamptz)`,
        item,
      );
      await db.sql.query(
        'UPDATE credit_balance SET balance = balance + :amount WHERE partner_id = :partner_id AND user_id = :user_id',
        { ...account(userId), amount },
      );
    },

    async settledPermit(userId, transactionId, amount, decidedAt) {
      await hold(userId, amount);
      await logDecision({
        transaction_id: transactionId,
        user_id: userId,
        amount,
        status: 'PERMITTED',
        reason: null,
        remaining_credit: 0,
        decided_at: decidedAt,
        fingerprint: `fp-${transactionId}`,
        settled_at: decidedAt,
      });
      await db.sql.query(
        `INSERT INTO transactions (partner_id, transaction_id, user_id, amount, status, reason, remaining_credit, decided_at)
         VALUES (:partner_id, :id, :user_id, :amount, 'PERMITTED', NULL, 0, :decided_at::timestamptz)`,
        { ...account(userId), id: transactionId, amount, decided_at: decidedAt },
      );
      await db.sql.query(
        'UPDATE credit_balance SET balance = balance - :amount WHERE partner_id = :partner_id AND user_id = :user_id',
        { ...account(userId), amount },
      );
    },

    async pendingDecision(userId, transactionId, amount, decidedAt, options = {}) {
      const status = options.status ?? 'PERMITTED';
      if (status === 'PERMITTED') await hold(userId, amount);
      await logDecision({
        transaction_id: transactionId,
        user_id: userId,
        amount,
        currency: 'USD',
        status,
        reason: status === 'PERMITTED' ? null : 'INSUFFICIENT_FUNDS',
        remaining_credit: 0,
        decided_at: decidedAt,
        fingerprint: `fp-${transactionId}`,
        settlement_state: unsettledShardKey(scopedKey(PLANT_PARTNER, transactionId)),
        ...(options.callbackUrl ? { callback_url: options.callbackUrl } : {}),
        ...(options.delivered
          ? {
              delivery: {
                attempts: 1,
                last_status: 200,
                last_attempt_at: decidedAt,
                delivered_at: decidedAt,
                dead_lettered: false,
              },
            }
          : {}),
      });
    },

    async forgetDepositEvent(depositId) {
      await dynamo.doc.send(
        new DeleteCommand({
          TableName: dynamo.tables.depositEvents,
          Key: itemKey(PLANT_PARTNER, depositId),
        }),
      );
    },

    async shiftBalance(userId, cents) {
      await db.sql.query(
        'UPDATE credit_balance SET balance = balance + :cents WHERE partner_id = :partner_id AND user_id = :user_id',
        { ...account(userId), cents },
      );
    },

    async shiftCache(userId, cents) {
      await credit(userId, cents);
    },

    async hold(userId, amount) {
      await hold(userId, amount);
    },

    async cacheItem(userId) {
      const { Item } = await dynamo.doc.send(
        new GetCommand({
          TableName: dynamo.tables.creditCache,
          Key: itemKey(PLANT_PARTNER, userId),
          ConsistentRead: true,
        }),
      );
      return Item;
    },

    async balance(userId) {
      const { rows } = await db.sql.query(
        'SELECT balance FROM credit_balance WHERE partner_id = :partner_id AND user_id = :user_id',
        account(userId),
      );
      const value = rows[0]?.balance;
      return typeof value === 'number' ? value : null;
    },
  };
};
