import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import {
  expiryBucket,
  holdOperationResultSchema,
  holdOperationSchema,
  holdStateSchema,
  PermanentStoreError,
  type HoldOperation,
  type HoldState,
  type HoldStep,
  type StoredHoldOperation,
} from '@creditline/domain';
import { z } from 'zod';
import type { TableNames } from '../definitions/tables.js';
import { partitionKeyAttribute } from '../definitions/tenancy.js';
import { mapDynamoDbError } from './dynamodb-errors.js';

/**
 * The hold side of a lifecycle operation on the TransactionLog (docs/lifecycle.md §6): the
 * hold's figures live in a `hold` map on its transaction's item, and each operation's key is an
 * item of its own, `<transaction item key>#<operation key>`. A step commits as one
 * TransactWriteItems of those two items (never the account item): the key item is Put only if
 * absent, and the hold is updated only if its figures are still the ones the step was computed
 * from. Every transition moves at least one figure, so of a capture, a void and an expiry racing
 * one hold exactly one commits and the others find the hold moved, re-read and are judged again.
 * The account item's UpdateItem with the step's deltas follows, on the hot-account commit.
 */

export type HoldCommitOutcome =
  /** The step is the hold's now, and its result is stored under its key. */
  | 'committed'
  /** The key was used meanwhile (a concurrent retry or another request): read it and replay or 409. */
  | 'key-taken'
  /** The hold moved since it was read: read it again and decide again. */
  | 'hold-moved';

export interface HoldCommitStore {
  /** Places a hold on its transaction's item (the authorization's finalize does this). */
  /** `itemKey`: the decision's TransactionLog key, `partner#transaction_id` (tenancy.ts scopedKey). */
  openHold(itemKey: string, hold: HoldState): Promise<'opened' | 'exists'>;
  /** The hold, strongly consistent; null when the item holds none. */
  readHold(itemKey: string): Promise<HoldState | null>;
  /** What is stored under an operation's key, strongly consistent. */
  readOperation(itemKey: string, operationKey: string): Promise<StoredHoldOperation | null>;
  commitStep(input: {
    readonly itemKey: string;
    readonly operationKey: string;
    readonly fingerprint: string;
    readonly operation: HoldOperation;
    /** The hold the step was computed from (its figures guard the update). */
    readonly before: HoldState;
    readonly step: HoldStep;
  }): Promise<HoldCommitOutcome>;
}

/** The item of an operation's key. */
export const holdOperationItemKey = (itemKey: string, operationKey: string): string =>
  `${itemKey}#${operationKey}`;

/** Tells lifecycle key items from decisions in the TransactionLog (and so in its stream). */
export const HOLD_OPERATION_RECORD = 'HOLD_OPERATION';

const operationItemSchema = z.object({
  record_kind: z.literal(HOLD_OPERATION_RECORD),
  fingerprint: z.string(),
  operation: holdOperationSchema,
  result: holdOperationResultSchema,
});

const holdItemSchema = z.object({ hold: holdStateSchema });

const isOpen = (hold: HoldState): boolean =>
  hold.decision === 'PERMITTED' && hold.closed_by === null;

export const createHoldCommitStore = (
  doc: DynamoDBDocumentClient,
  tables: Pick<TableNames, 'transactionLog'>,
): HoldCommitStore => {
  const get = async (key: string, what: string): Promise<Record<string, unknown> | undefined> => {
    const output = await doc
      .send(
        new GetCommand({
          TableName: tables.transactionLog,
          Key: { [partitionKeyAttribute]: key },
          ConsistentRead: true,
        }),
      )
      .catch((error: unknown) => {
        throw mapDynamoDbError(error, `GetItem TransactionLog ${what}`);
      });
    return output.Item;
  };

  return {
    async openHold(itemKey, hold) {
      // An open manual hold carries its expiry bucket: the sparse index the sweep queries.
      const bucket = isOpen(hold) && hold.hold_expires_at !== null;
      try {
        await doc.send(
          new UpdateCommand({
            TableName: tables.transactionLog,
            Key: { [partitionKeyAttribute]: itemKey },
            UpdateExpression: bucket
              ? 'SET #hold = :hold, expiry_bucket = :bucket, hold_expires_at = :at'
              : 'SET #hold = :hold',
            ConditionExpression: 'attribute_not_exists(#hold)',
            ExpressionAttributeNames: { '#hold': 'hold' },
            ExpressionAttributeValues: {
              ':hold': hold,
              ...(bucket && hold.hold_expires_at !== null
                ? {
                    ':bucket': expiryBucket(itemKey, hold.hold_expires_at),
                    ':at': hold.hold_expires_at,
                  }
                : {}),
            },
          }),
        );
        return 'opened';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw mapDynamoDbError(error, 'UpdateItem TransactionLog open hold');
      }
    },

    async readHold(itemKey) {
      const item = await get(itemKey, 'hold');
      if (item?.['hold'] === undefined) return null;
      const parsed = holdItemSchema.safeParse(item);
      if (!parsed.success)
        throw new PermanentStoreError(
          `hold on ${itemKey} is malformed: ${parsed.error.message}`,
          'MALFORMED_ITEM',
        );
      return parsed.data.hold;
    },

    async readOperation(itemKey, operationKey) {
      const item = await get(holdOperationItemKey(itemKey, operationKey), 'operation');
      if (item === undefined) return null;
      const parsed = operationItemSchema.safeParse(item);
      if (!parsed.success) {
        throw new PermanentStoreError(
          `operation ${operationKey} on ${itemKey} is malformed: ${parsed.error.message}`,
          'MALFORMED_ITEM',
        );
      }
      return { fingerprint: parsed.data.fingerprint, result: parsed.data.result };
    },

    async commitStep({ itemKey, operationKey, fingerprint, operation, before, step }) {
      const closes = isOpen(before) && !isOpen(step.hold);
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tables.transactionLog,
                  Item: {
                    [partitionKeyAttribute]: holdOperationItemKey(itemKey, operationKey),
                    record_kind: HOLD_OPERATION_RECORD,
                    hold_key: itemKey,
                    operation_key: operationKey,
                    partner_id: before.partner_id,
                    user_id: before.user_id,
                    fingerprint,
                    operation,
                    result: step.result,
                    deltas: step.deltas,
                  },
                  ConditionExpression: `attribute_not_exists(${partitionKeyAttribute})`,
                },
              },
              {
                Update: {
                  TableName: tables.transactionLog,
                  Key: { [partitionKeyAttribute]: itemKey },
                  // A closed hold leaves the expiry index: only open holds wait for the sweep.
                  UpdateExpression: closes
                    ? 'SET #hold = :after REMOVE expiry_bucket'
                    : 'SET #hold = :after',
                  ConditionExpression:
                    '#hold.amount = :amount AND #hold.captured = :captured AND #hold.released = :released AND #hold.refunded = :refunded',
                  ExpressionAttributeNames: { '#hold': 'hold' },
                  ExpressionAttributeValues: {
                    ':after': step.hold,
                    ':amount': before.amount,
                    ':captured': before.captured,
                    ':released': before.released,
                    ':refunded': before.refunded,
                  },
                },
              },
            ],
          }),
        );
        return 'committed';
      } catch (error) {
        if (error instanceof TransactionCanceledException) {
          const [keyReason, holdReason] = error.CancellationReasons ?? [];
          if (keyReason?.Code === 'ConditionalCheckFailed') return 'key-taken';
          if (holdReason?.Code === 'ConditionalCheckFailed') return 'hold-moved';
        }
        throw mapDynamoDbError(error, 'TransactWriteItems hold step');
      }
    },
  };
};
