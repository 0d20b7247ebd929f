import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type CancellationReason,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  PermanentStoreError,
  RetryableStoreError,
  type CommitOutcome,
  type DecisionLog,
  type DecisionRecord,
  type Hold,
} from '@creditline/domain';
import type { TableNames } from '../definitions/tables.js';
import { itemKey, scopedKey } from '../definitions/tenancy.js';
import { mapDynamoDbError } from './dynamodb-errors.js';
import {
  PENDING_SETTLEMENT,
  transactionLogItemSchema,
  type TransactionLogItem,
} from './transaction-log-item.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Put = NonNullable<TransactItem['Put']>;
type Update = NonNullable<TransactItem['Update']>;

/** Every new item is PENDING settlement: that puts it in the sparse `unsettled` index. */
export const toTransactionLogItem = (record: DecisionRecord): TransactionLogItem => ({
  ...record,
  ...itemKey(record.partner_id, record.transaction_id),
  account_key: scopedKey(record.partner_id, record.user_id),
  settlement_state: PENDING_SETTLEMENT,
});

/** The decision a stored item holds (publication state stays with the publication adapters). */
export const toDecisionRecord = (item: TransactionLogItem): DecisionRecord => ({
  transaction_id: item.transaction_id,
  user_id: item.user_id,
  amount: item.amount,
  ...(item.currency !== undefined ? { currency: item.currency } : {}),
  status: item.status,
  reason: item.reason,
  remaining_credit: item.remaining_credit,
  decided_at: item.decided_at,
  ...(item.callback_url !== undefined ? { callback_url: item.callback_url } : {}),
  partner_id: item.partner_id,
  fingerprint: item.fingerprint,
});

const putDecision = (tableName: string, record: DecisionRecord): Put => ({
  TableName: tableName,
  Item: toTransactionLogItem(record),
  ConditionExpression: 'attribute_not_exists(pk)',
});

/**
 * The hold: valid only if no other hold moved the version since the decision read it. Items a
 * deposit created carry no version yet (it reads as 0), and `available >= :amount` is a last
 * line of defence for invariant 1 should a caller ever pass a stale version.
 */
export const holdUpdate = (
  tableName: string,
  partnerId: string,
  hold: Hold,
  at: string,
): Update => ({
  TableName: tableName,
  Key: itemKey(partnerId, hold.user_id),
  UpdateExpression:
    'SET available = available - :amount, version = if_not_exists(version, :zero) + :one, updated_at = :at',
  ConditionExpression:
    hold.expected_version === 0
      ? 'attribute_exists(pk) AND available >= :amount AND (attribute_not_exists(version) OR version = :expected)'
      : 'available >= :amount AND version = :expected',
  ExpressionAttributeValues: {
    ':amount': hold.amount,
    ':expected': hold.expected_version,
    ':zero': 0,
    ':one': 1,
    ':at': at,
  },
});

/**
 * Reads the cancellation reasons, which list the items in request order: [0] the decision Put,
 * [1] the hold Update. A decision that exists wins over a moved version (a replay must answer
 * with the stored decision however the account moved); a concurrent transaction on either
 * item is contention like a moved version.
 */
const outcomeOfCancellation = (error: TransactionCanceledException): CommitOutcome => {
  const reasons: readonly CancellationReason[] = error.CancellationReasons ?? [];
  if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'duplicate';
  if (
    reasons.some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  ) {
    return 'contended';
  }
  const codes = reasons.map((reason) => reason.Code ?? '?').join(',');
  if (
    reasons.some(
      (reason) =>
        reason.Code === 'ThrottlingError' || reason.Code === 'ProvisionedThroughputExceeded',
    )
  ) {
    throw new RetryableStoreError(
      `TransactWriteItems throttled (${codes})`,
      'TransactionCanceledException',
      { cause: error },
    );
  }
  throw new PermanentStoreError(
    `TransactWriteItems cancelled (${codes})`,
    'TransactionCanceledException',
    { cause: error },
  );
};

/**
 * TransactionLog (+ the hold on CreditCache). A REJECT is one conditional PutItem; a PERMIT is
 * one TransactWriteItems of that Put and the hold, so a decision is never recorded without its
 * hold nor a hold placed without its decision.
 */
export const createTransactionLogStore = (
  doc: DynamoDBDocumentClient,
  tables: Pick<TableNames, 'transactionLog' | 'creditCache'>,
): DecisionLog => ({
  async find(partnerId, transactionId) {
    const output = await doc
      .send(
        new GetCommand({
          TableName: tables.transactionLog,
          Key: itemKey(partnerId, transactionId),
          ConsistentRead: true,
        }),
      )
      .catch((error: unknown) => {
        throw mapDynamoDbError(error, 'GetItem TransactionLog');
      });
    if (output.Item === undefined) return null;
    const item = transactionLogItemSchema.safeParse(output.Item);
    if (!item.success) {
      throw new PermanentStoreError(
        `TransactionLog item ${partnerId}/${transactionId} is malformed: ${item.error.message}`,
        'MALFORMED_ITEM',
      );
    }
    return toDecisionRecord(item.data);
  },

  async commit(record, hold) {
    const put = putDecision(tables.transactionLog, record);
    if (hold === null) {
      try {
        await doc.send(new PutCommand(put));
        return 'committed';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'duplicate';
        throw mapDynamoDbError(error, 'PutItem TransactionLog');
      }
    }
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: put },
            { Update: holdUpdate(tables.creditCache, record.partner_id, hold, record.decided_at) },
          ],
        }),
      );
      return 'committed';
    } catch (error) {
      if (error instanceof TransactionCanceledException) return outcomeOfCancellation(error);
      throw mapDynamoDbError(error, 'TransactWriteItems');
    }
  },
});
