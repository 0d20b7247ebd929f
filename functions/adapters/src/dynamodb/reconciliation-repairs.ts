import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { PermanentStoreError, type Cents, type UnsettledDecision } from '@creditline/domain';
import { transactionLogTable, type BooksTableNames } from '../definitions/tables.js';
import { itemKey } from '../definitions/tenancy.js';
import {
  depositEventItemSchema,
  type DepositEventFields,
  type DepositEventItem,
} from './deposit-event-item.js';
import {
  PENDING_SETTLEMENT_PREFIX,
  transactionLogItemSchema,
  type TransactionLogItem,
} from './transaction-log-item.js';

/**
 * The DynamoDB reads and writes of reconciliation's repairs. Every read is strongly consistent
 * (the repair re-checks what the run saw), and every write is conditional on what was read.
 * Users, decisions and deposits are named by their scoped keys (`partner#id`), which are the
 * items' `pk`, as the reconciliation scans report them.
 */

/** A CreditCache item as read right before a rebuild. */
export interface CacheItemState {
  readonly user_id: string;
  readonly available: Cents;
  /** Null when the item has no version attribute yet (only deposits touched it). */
  readonly version: number | null;
  /** When the item's last operation was decided (absent when no operation touched it yet). */
  readonly last_op_at?: string | undefined;
}

export interface CacheRebuild {
  readonly user_id: string;
  /** What the rebuild read: the write happens only if the item is still exactly this. */
  readonly seen: CacheItemState;
  readonly available: Cents;
  /** ISO-8601, recorded on the item. */
  readonly at: string;
}

export interface ReconciliationRepairStore {
  cacheItem(userId: string): Promise<CacheItemState | null>;
  /**
   * Sets available and bumps the version, only if neither moved since `seen`: a hold moves the
   * version, a deposit moves available without it. False when the item changed.
   */
  rebuildCacheItem(rebuild: CacheRebuild): Promise<boolean>;
  /** The user's PERMITTED decisions still waiting for settlement (the `by_user` index). */
  pendingPermits(userId: string): Promise<UnsettledDecision[]>;
  decision(transactionId: string): Promise<TransactionLogItem | null>;
  depositEvent(depositId: string): Promise<DepositEventItem | null>;
  /** Puts the item unless DepositEvents holds that partner's deposit_id; false when it does. */
  restoreDepositEvent(item: DepositEventFields): Promise<boolean>;
}

const BY_USER_INDEX: (typeof transactionLogTable.globalIndexes)[number]['name'] = 'by_user';

const integerOrNull = (value: unknown, what: string): number | null => {
  if (value === undefined) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value))
    throw new PermanentStoreError(`${what} is not an integer: ${JSON.stringify(value)}`);
  return value;
};

const conditionFailed = (error: unknown): boolean =>
  error instanceof ConditionalCheckFailedException;

export const createReconciliationRepairStore = (
  doc: DynamoDBDocumentClient,
  tables: BooksTableNames,
): ReconciliationRepairStore => ({
  async cacheItem(userId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tables.creditCache,
        Key: { pk: userId },
        ConsistentRead: true,
      }),
    );
    if (Item === undefined) return null;
    const available = integerOrNull(Item.available, `CreditCache ${userId} available`);
    if (available === null)
      throw new PermanentStoreError(`CreditCache ${userId} has no available attribute`);
    const lastOp: unknown = Item.last_op;
    const lastOpAt =
      typeof lastOp === 'object' &&
      lastOp !== null &&
      typeof (lastOp as { at?: unknown }).at === 'string'
        ? (lastOp as { at: string }).at
        : undefined;
    return {
      user_id: userId,
      available,
      version: integerOrNull(Item.version, `CreditCache ${userId} version`),
      ...(lastOpAt !== undefined ? { last_op_at: lastOpAt } : {}),
    };
  },

  async rebuildCacheItem({ user_id, seen, available, at }) {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tables.creditCache,
          Key: { pk: user_id },
          UpdateExpression: 'SET available = :available, version = :next, updated_at = :at',
          ConditionExpression:
            seen.version === null
              ? 'available = :seen_available AND attribute_not_exists(version)'
              : 'available = :seen_available AND version = :seen_version',
          ExpressionAttributeValues: {
            ':available': available,
            ':next': (seen.version ?? 0) + 1,
            ':at': at,
            ':seen_available': seen.available,
            ...(seen.version === null ? {} : { ':seen_version': seen.version }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  },

  async pendingPermits(userId) {
    const permits: UnsettledDecision[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await doc.send(
        new QueryCommand({
          TableName: tables.transactionLog,
          IndexName: BY_USER_INDEX,
          KeyConditionExpression: 'account_key = :user_id',
          FilterExpression: 'begins_with(settlement_state, :pending) AND #status = :permitted',
          ProjectionExpression: 'pk, account_key, amount, #status, decided_at',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':user_id': userId,
            ':pending': PENDING_SETTLEMENT_PREFIX,
            ':permitted': 'PERMITTED',
          },
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const decision = transactionLogItemSchema
          .pick({ pk: true, account_key: true, amount: true, status: true, decided_at: true })
          .parse(item);
        permits.push({
          transaction_id: decision.pk,
          user_id: decision.account_key,
          amount: decision.amount,
          status: decision.status,
          decided_at: decision.decided_at,
        });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return permits;
  },

  async decision(transactionId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tables.transactionLog,
        Key: { pk: transactionId },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? null : transactionLogItemSchema.parse(Item);
  },

  async depositEvent(depositId) {
    const { Item } = await doc.send(
      new GetCommand({
        TableName: tables.depositEvents,
        Key: { pk: depositId },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? null : depositEventItemSchema.parse(Item);
  },

  async restoreDepositEvent(item) {
    try {
      await doc.send(
        new PutCommand({
          TableName: tables.depositEvents,
          Item: { ...item, ...itemKey(item.partner_id, item.deposit_id) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return true;
    } catch (error) {
      if (conditionFailed(error)) return false;
      throw error;
    }
  },
});
