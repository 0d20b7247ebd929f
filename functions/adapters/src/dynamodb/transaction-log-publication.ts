import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PermanentStoreError, type TransactionDecidedDetail } from '@creditline/domain';
import { itemKey } from '../definitions/tenancy.js';
import { mapDynamoDbError } from './dynamodb-errors.js';
import { toDecisionRecord } from './transaction-log-store.js';
import { deliverySchema, transactionLogItemSchema, type Delivery } from './transaction-log-item.js';

/**
 * The publication state of a TransactionLog item, written by the fan-out after the decision:
 * - settlement: `settlement_state` REMOVEd (the item leaves the sparse `unsettled` index) and
 *   `settled_at` set once, by the TransactionLogger;
 * - delivery: the callback attempts, by the CallbackDispatcher.
 * Every write requires the item to exist: publication state never creates a phantom decision.
 */
export interface DeliveryAttempt {
  /** ISO-8601 time of the attempt. */
  readonly at: string;
  /** The HTTP status, or what happened instead (TIMEOUT, a refusal code). */
  readonly status: number | string;
  readonly delivered: boolean;
  /** The last delivery SQS will make failed: the message is going to the DLQ. */
  readonly deadLettered: boolean;
}

const missing = (partnerId: string, transactionId: string): PermanentStoreError =>
  new PermanentStoreError(
    `TransactionLog has no item ${partnerId}/${transactionId}`,
    'ItemNotFound',
  );

/** A decision as the TransactionLog holds it, and its delivery state. */
export interface StoredDecision {
  readonly decision: TransactionDecidedDetail;
  readonly delivery: Delivery | undefined;
}

/** Every item is named by its partner and transaction id (the key is `partner#transaction_id`). */
export interface TransactionLogPublication {
  /**
   * The decision as stored, read strongly consistent: consumers act on this, never on what a
   * message says (anything that can put an event on the bus could say anything). Null when
   * no such decision exists.
   */
  storedDecision(partnerId: string, transactionId: string): Promise<StoredDecision | null>;
  markSettled(partnerId: string, transactionId: string, settledAt: string): Promise<void>;
  recordDeliveryAttempt(
    partnerId: string,
    transactionId: string,
    attempt: DeliveryAttempt,
  ): Promise<Delivery>;
}

export const createTransactionLogPublication = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): TransactionLogPublication => {
  const send = async <T>(work: () => Promise<T>, operation = 'UpdateItem'): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw mapDynamoDbError(error, `${operation} on ${tableName}`);
    }
  };

  /** The common case: the map exists, its fields are updated in place. */
  const updateDelivery = (key: ReturnType<typeof itemKey>, attempt: DeliveryAttempt) =>
    send(() =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: [
            'SET delivery.attempts = delivery.attempts + :one',
            'delivery.last_status = :status',
            'delivery.last_attempt_at = :at',
            'delivery.dead_lettered = :dead',
            // A delivered callback is not sent again (the dispatcher checks first), so this is set once.
            ...(attempt.delivered ? ['delivery.delivered_at = :at'] : []),
          ].join(', '),
          ConditionExpression: 'attribute_exists(delivery)',
          ExpressionAttributeValues: {
            ':one': 1,
            ':status': attempt.status,
            ':at': attempt.at,
            ':dead': attempt.deadLettered && !attempt.delivered,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );

  /** The first attempt: the map is created whole (a nested SET needs its parent to exist). */
  const createDelivery = (key: ReturnType<typeof itemKey>, attempt: DeliveryAttempt) =>
    send(() =>
      doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression: 'SET delivery = :delivery',
          ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(delivery)',
          ExpressionAttributeValues: {
            ':delivery': {
              attempts: 1,
              last_status: attempt.status,
              last_attempt_at: attempt.at,
              delivered_at: attempt.delivered ? attempt.at : null,
              dead_lettered: attempt.deadLettered && !attempt.delivered,
            } satisfies Delivery,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );

  return {
    async storedDecision(partnerId, transactionId) {
      const { Item } = await send(
        () =>
          doc.send(
            new GetCommand({
              TableName: tableName,
              Key: itemKey(partnerId, transactionId),
              ConsistentRead: true,
            }),
          ),
        'GetItem',
      );
      if (Item === undefined) return null;
      const item = transactionLogItemSchema.safeParse(Item);
      if (!item.success) {
        throw new PermanentStoreError(
          `TransactionLog item ${partnerId}/${transactionId} is malformed: ${item.error.message}`,
          'MALFORMED_ITEM',
        );
      }
      return { decision: toDecisionRecord(item.data), delivery: item.data.delivery };
    },

    async markSettled(partnerId, transactionId, settledAt) {
      try {
        await send(() =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: itemKey(partnerId, transactionId),
              UpdateExpression:
                'REMOVE settlement_state SET settled_at = if_not_exists(settled_at, :at)',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':at': settledAt },
            }),
          ),
        );
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException)
          throw missing(partnerId, transactionId);
        throw error;
      }
    },

    async recordDeliveryAttempt(partnerId, transactionId, attempt) {
      const key = itemKey(partnerId, transactionId);
      // Update in place, else create the map; a racing creator makes the update succeed on the retry.
      for (let round = 0; round < 2; round += 1) {
        try {
          const { Attributes } = await updateDelivery(key, attempt);
          return deliverySchema.parse(Attributes?.['delivery']);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
        try {
          const { Attributes } = await createDelivery(key, attempt);
          return deliverySchema.parse(Attributes?.['delivery']);
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          if (round === 1) throw missing(partnerId, transactionId);
        }
      }
      throw missing(partnerId, transactionId);
    },
  };
};
