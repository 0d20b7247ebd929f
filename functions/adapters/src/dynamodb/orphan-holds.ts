import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  PermanentStoreError,
  RetryableStoreError,
  type OrphanHolds,
  type ReleaseOutcome,
} from '@creditline/domain';
import type { TableNames } from '../definitions/tables.js';
import { accountOperationUpdate } from './account-operation-update.js';
import { mapDynamoDbError } from './dynamodb-errors.js';
import { transactionLogKey } from './transaction-log-item.js';

/**
 * Gives a hold back exactly once: ONE TransactWriteItems of the release mark on the claim
 * (`released_attempts` gains the attempt, only if it lacks it and the claim has moved past that
 * attempt) and the release plan on the account item. This is the only multi-item transaction that
 * touches an account item, and it is off the hot path: it runs only for an attempt that lost its
 * claim (a take-over after a crash or a timeout). A concurrent hold on the same item that meets it
 * gets TransactionConflict, which the decision path retries within its deadline.
 */
export const createOrphanHolds = (
  doc: DynamoDBDocumentClient,
  tables: Pick<TableNames, 'creditCache' | 'transactionLog'>,
): OrphanHolds => ({
  async release(partnerId, plan): Promise<ReleaseOutcome> {
    const operation = accountOperationUpdate(tables.creditCache, partnerId, plan);
    const accountUpdate = {
      TableName: tables.creditCache,
      Key: operation.Key,
      UpdateExpression: operation.UpdateExpression ?? '',
      ConditionExpression: operation.ConditionExpression,
      ExpressionAttributeNames: operation.ExpressionAttributeNames,
      ExpressionAttributeValues: operation.ExpressionAttributeValues,
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const,
    };
    try {
      await doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: tables.transactionLog,
                Key: transactionLogKey(partnerId, plan.stamp.key),
                UpdateExpression: 'ADD released_attempts :released',
                ConditionExpression:
                  'attribute_exists(pk) AND #attempt > :attempt AND NOT contains(released_attempts, :attempt)',
                ExpressionAttributeNames: { '#attempt': 'attempt' },
                ExpressionAttributeValues: {
                  ':released': new Set([plan.stamp.attempt]),
                  ':attempt': plan.stamp.attempt,
                },
              },
            },
            { Update: accountUpdate },
          ],
        }),
      );
      return 'released';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException))
        throw mapDynamoDbError(error, 'TransactWriteItems release');
      const reasons = error.CancellationReasons ?? [];
      if (reasons[0]?.Code === 'ConditionalCheckFailed') return 'already-released';
      const codes = reasons.map((reason) => reason.Code ?? '?').join(',');
      if (reasons[1]?.Code === 'ConditionalCheckFailed') {
        // The item exists but a window the plan pins has rolled: the caller plans again.
        if (reasons[1].Item !== undefined) return 'account-moved';
        throw new PermanentStoreError(
          `release of ${partnerId}/${plan.stamp.key}#${plan.stamp.attempt}: the account ${plan.user_id} is gone`,
          'AccountMissing',
        );
      }
      throw new RetryableStoreError(
        `release of ${partnerId}/${plan.stamp.key}#${plan.stamp.attempt} cancelled (${codes})`,
        'TransactionCanceledException',
        { cause: error },
      );
    }
  },
});
