import {
  TransactionCanceledException,
  TransactWriteItemsCommand,
  type AttributeValue,
  type CancellationReason,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  PermanentStoreError,
  RetryableStoreError,
  sumCreditsByUser,
  type DepositBatch,
  type DepositCredit,
  type DepositLedger,
  type DepositLedgerOutcome,
  type RecordedDuplicate,
} from '@creditline/domain';
import type { TableNames } from '../definitions/tables.js';
import { scopedKey } from '../definitions/tenancy.js';
import { depositEventItemSchema, type DepositEventFields } from './deposit-event-item.js';
import { mapDynamoDbError } from './dynamodb-errors.js';

/** Cancellation codes after which the same transaction can succeed. */
const TRANSIENT_CODES = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'None',
]);

/** TransactWriteItems takes at most 100 actions. */
export const MAX_TRANSACTION_ITEMS = 100;

/**
 * The DepositEvents item as this ledger writes it: `source_upload` names the upload that wrote
 * it, so a retried attempt at the same upload can tell its own earlier work from a duplicate.
 */
export type LedgerDepositEventItem = DepositEventFields & { readonly source_upload: string };

export interface DynamoDepositLedgerOptions {
  /** Attempts when a transaction is cancelled by conflicts alone (no duplicate to drop). */
  readonly maxConflictAttempts?: number;
  /** Waits before a retry; jittered exponential backoff unless given (tests pass a fake). */
  readonly sleep?: (attempt: number) => Promise<void>;
}

/**
 * The item in DynamoDB's attribute-value form. Built by hand rather than by the document client:
 * its generic marshalling costs a third of the client's CPU per 100-item transaction, and these
 * items always have the same eight attributes.
 */
const depositEventAttributes = (item: LedgerDepositEventItem): Record<string, AttributeValue> => ({
  pk: { S: scopedKey(item.partner_id, item.deposit_id) },
  partner_id: { S: item.partner_id },
  deposit_id: { S: item.deposit_id },
  user_id: { S: item.user_id },
  amount: { N: String(item.amount) },
  deposited_at: { S: item.deposited_at },
  source_key: { S: item.source_key },
  source_line: { N: String(item.source_line) },
  credited_at: { S: item.credited_at },
  source_upload: { S: item.source_upload },
});

const backoff = (attempt: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(1000, 25 * 2 ** attempt)));

/**
 * DepositEvents + CreditCache in one TransactWriteItems per batch: a conditional Put per deposit
 * (attribute_not_exists) and one `ADD available :sum` per user, since a transaction may touch an
 * item once. No version bump: a credit only makes a decision safer.
 *
 * When DynamoDB cancels the transaction, its CancellationReasons say which Puts found their
 * deposit_id already recorded (ConditionalCheckFailed, with the item that is there): those are
 * set aside and the rest retried. Cancellations by conflict with another transaction alone are
 * retried with backoff, a bounded number of times.
 */
export const createDynamoDepositLedger = (
  doc: DynamoDBDocumentClient,
  tables: Pick<TableNames, 'creditCache' | 'depositEvents'>,
  options: DynamoDepositLedgerOptions = {},
): DepositLedger => {
  const maxConflictAttempts = options.maxConflictAttempts ?? 8;
  const sleep = options.sleep ?? backoff;

  const transactItems = (
    batch: DepositBatch,
    deposits: readonly DepositCredit[],
  ): TransactWriteItem[] => [
    ...deposits.map((deposit) => ({
      Put: {
        TableName: tables.depositEvents,
        Item: depositEventAttributes({
          ...deposit,
          partner_id: batch.partner_id,
          credited_at: batch.credited_at,
          source_upload: batch.source_upload,
        }),
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
      },
    })),
    ...[...sumCreditsByUser(deposits)].map(([userId, sum]) => ({
      Update: {
        TableName: tables.creditCache,
        Key: { pk: { S: scopedKey(batch.partner_id, userId) } },
        // The owner and the plain id on the item, so an account a deposit creates reads like a seeded one.
        UpdateExpression: 'SET partner_id = :partner, user_id = :user ADD available :sum',
        ExpressionAttributeValues: {
          ':partner': { S: batch.partner_id },
          ':user': { S: userId },
          ':sum': { N: String(sum) },
        },
      },
    })),
  ];

  /** Whether the item already there was written by this very upload of this very file. */
  const isSameUpload = (
    batch: DepositBatch,
    deposit: DepositCredit,
    reason: CancellationReason,
  ): boolean =>
    reason.Item?.source_key?.S === deposit.source_key &&
    reason.Item.source_upload?.S === batch.source_upload;

  /** The deposit as the ledger holds it, from the item a failed condition check returns. */
  const recorded = (deposit: DepositCredit, reason: CancellationReason): DepositCredit => {
    const item = depositEventItemSchema.safeParse({
      pk: reason.Item?.pk?.S,
      partner_id: reason.Item?.partner_id?.S,
      deposit_id: reason.Item?.deposit_id?.S,
      user_id: reason.Item?.user_id?.S,
      amount: Number(reason.Item?.amount?.N),
      deposited_at: reason.Item?.deposited_at?.S,
      source_key: reason.Item?.source_key?.S,
      source_line: Number(reason.Item?.source_line?.N),
      credited_at: reason.Item?.credited_at?.S,
    });
    if (!item.success) {
      throw new PermanentStoreError(
        `DepositEvents item ${deposit.deposit_id} is malformed: ${item.error.message}`,
        'MALFORMED_ITEM',
      );
    }
    const { deposit_id, user_id, amount, deposited_at, source_key, source_line } = item.data;
    return { deposit_id, user_id, amount, deposited_at, source_key, source_line };
  };

  return {
    maxBatchItems: MAX_TRANSACTION_ITEMS,

    async record(batch): Promise<DepositLedgerOutcome> {
      let pending = batch.deposits;
      const resumed: DepositCredit[] = [];
      const duplicates: RecordedDuplicate[] = [];
      let conflicts = 0;
      while (pending.length > 0) {
        try {
          await doc.send(
            new TransactWriteItemsCommand({ TransactItems: transactItems(batch, pending) }),
          );
          return { credited: pending, resumed, duplicates };
        } catch (error) {
          if (!(error instanceof TransactionCanceledException)) {
            throw mapDynamoDbError(error, 'TransactWriteItems deposits');
          }
          const reasons = error.CancellationReasons ?? [];
          const lasting = reasons.find(
            (reason) =>
              reason.Code !== 'ConditionalCheckFailed' && !TRANSIENT_CODES.has(reason.Code ?? ''),
          );
          if (lasting !== undefined) {
            throw new PermanentStoreError(
              `DynamoDB refused the deposit transaction: ${lasting.Code ?? '?'} ${lasting.Message ?? ''}`.trim(),
              lasting.Code,
              { cause: error },
            );
          }
          const retry: DepositCredit[] = [];
          pending.forEach((deposit, index) => {
            const reason = reasons[index];
            if (reason?.Code !== 'ConditionalCheckFailed') retry.push(deposit);
            else if (isSameUpload(batch, deposit, reason)) resumed.push(deposit);
            else duplicates.push({ offered: deposit, recorded: recorded(deposit, reason) });
          });
          if (retry.length === pending.length) {
            conflicts += 1;
            if (conflicts >= maxConflictAttempts) {
              const codes = [...new Set(reasons.map((reason) => reason.Code ?? '?'))].join(', ');
              throw new RetryableStoreError(
                `DynamoDB cancelled the deposit transaction ${conflicts} times (${codes})`,
                'TransactionCanceled',
                { cause: error },
              );
            }
            await sleep(conflicts);
          }
          pending = retry;
        }
      }
      return { credited: [], resumed, duplicates };
    },
  };
};
