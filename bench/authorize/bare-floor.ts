import { itemKey, scopedKey } from '../../functions/adapters/src/definitions/index.js';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { OperationResult } from './closed-loop.js';

export interface FloorTables {
  readonly creditCache: string;
  readonly transactionLog: string;
}

/** The same policy as the validator's (8 attempts, full jitter 5..100 ms), so contention costs both alike. */
const MAX_ATTEMPTS = 8;
const jitter = (attempt: number): number => Math.random() * Math.min(100, 5 * 2 ** (attempt - 1));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A fingerprint-sized value: the floor writes items the size of the validator's. */
const FINGERPRINT = 'x'.repeat(43);

/**
 * The floor: the DynamoDB calls of one uncontended PERMIT, issued bare through the SDK, with no
 * validation, domain rule, logging or metrics: one consistent GetItem and one TransactWriteItems
 * of the same two items (the decision Put and the version-guarded hold), re-read and retried on
 * a conflict exactly as the validator does.
 */
export const createBareFloor =
  (doc: DynamoDBDocumentClient, tables: FloorTables) =>
  async ({
    transactionId,
    userId,
    amount,
  }: {
    transactionId: string;
    userId: string;
    amount: number;
  }): Promise<OperationResult> => {
    for (let attempt = 1; ; attempt += 1) {
      const { Item } = await doc.send(
        new GetCommand({
          TableName: tables.creditCache,
          Key: itemKey('acme', userId),
          ConsistentRead: true,
        }),
      );
      const version = typeof Item?.version === 'number' ? Item.version : 0;
      const available = typeof Item?.available === 'number' ? Item.available : 0;
      const decidedAt = new Date().toISOString();
      try {
        await doc.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Put: {
                  TableName: tables.transactionLog,
                  Item: {
                    ...itemKey('acme', transactionId),
                    account_key: scopedKey('acme', userId),
                    transaction_id: transactionId,
                    user_id: userId,
                    amount,
                    status: 'PERMITTED',
                    reason: null,
                    remaining_credit: available - amount,
                    decided_at: decidedAt,
                    partner_id: 'acme',
                    fingerprint: FINGERPRINT,
                    settlement_state: 'PENDING',
                  },
                  ConditionExpression: 'attribute_not_exists(pk)',
                },
              },
              {
                Update: {
                  TableName: tables.creditCache,
                  Key: itemKey('acme', userId),
                  UpdateExpression:
                    'SET available = available - :amount, version = if_not_exists(version, :zero) + :one, updated_at = :at',
                  ConditionExpression: 'available >= :amount AND version = :expected',
                  ExpressionAttributeValues: {
                    ':amount': amount,
                    ':expected': version,
                    ':zero': 0,
                    ':one': 1,
                    ':at': decidedAt,
                  },
                },
              },
            ],
          }),
        );
        return 'ok';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        if (attempt >= MAX_ATTEMPTS) return 'unavailable';
        await sleep(jitter(attempt));
      }
    }
  };
