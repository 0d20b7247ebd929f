import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { itemKey, scopedKey } from '../../functions/adapters/src/definitions/index.js';
import type { OperationResult } from './closed-loop.js';

export interface FloorTables {
  readonly creditCache: string;
  readonly transactionLog: string;
}

/** A fingerprint-sized value: the floor writes items the size of the validator's. */
const FINGERPRINT = 'x'.repeat(43);

/**
 * The single-item ceiling: the bare conditional UpdateItem on the account item, nothing else
 * (`SET available = available - :a IF available >= :a`, UPDATED_NEW). On one hot item this is
 * what DynamoDB itself can do (on AWS about 1,000 writes/s per item); a refused condition
 * counts as an operation too.
 */
export const createSingleUpdateFloor =
  (doc: DynamoDBDocumentClient, tables: FloorTables) =>
  async ({
    userId,
    amount,
  }: {
    transactionId: string;
    userId: string;
    amount: number;
  }): Promise<OperationResult> => {
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tables.creditCache,
          Key: itemKey('acme', userId),
          UpdateExpression: 'SET available = available - :a',
          ConditionExpression: 'available >= :a',
          ExpressionAttributeValues: { ':a': amount },
          ReturnValues: 'UPDATED_NEW',
        }),
      );
      return 'permitted';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'rejected';
      throw error;
    }
  };

/**
 * The design's calls issued bare through the SDK, with no validation, domain rule, logging or
 * metrics: the claim (conditional PutItem), the hold (conditional UpdateItem on the account item,
 * ALL_NEW) and the finalize (conditional UpdateItem on the claim), with items the size of the
 * validator's.
 */
export const createDesignFloor =
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
    const at = new Date().toISOString();
    await doc.send(
      new PutCommand({
        TableName: tables.transactionLog,
        Item: {
          ...itemKey('acme', transactionId),
          account_key: scopedKey('acme', userId),
          transaction_id: transactionId,
          user_id: userId,
          amount,
          partner_id: 'acme',
          fingerprint: FINGERPRINT,
          state: 'CLAIMED',
          owner: 'bench-owner-0001',
          attempt: 1,
          lease_until: at,
        },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
    let remaining = 0;
    let status: 'PERMITTED' | 'REJECTED' = 'PERMITTED';
    try {
      const { Attributes } = await doc.send(
        new UpdateCommand({
          TableName: tables.creditCache,
          Key: itemKey('acme', userId),
          UpdateExpression:
            'SET last_op = :op, updated_at = :at ADD available :minus, pending :a, version :one',
          ConditionExpression:
            'attribute_exists(user_id) AND (attribute_not_exists(account_status) OR account_status = :active) AND available >= :a',
          ExpressionAttributeValues: {
            ':op': { key: transactionId, attempt: 1, kind: 'HOLD', amount, at },
            ':at': at,
            ':minus': -amount,
            ':a': amount,
            ':one': 1,
            ':active': 'ACTIVE',
          },
          ReturnValues: 'ALL_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      remaining = typeof Attributes?.available === 'number' ? Attributes.available : 0;
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      status = 'REJECTED';
    }
    await doc.send(
      new UpdateCommand({
        TableName: tables.transactionLog,
        Key: itemKey('acme', transactionId),
        UpdateExpression:
          'SET #state = :decided, #status = :status, remaining_credit = :r, decided_at = :at, settlement_state = :shard REMOVE #owner, lease_until',
        ConditionExpression: '#state = :claimed AND attempt = :one',
        ExpressionAttributeNames: { '#state': 'state', '#status': 'status', '#owner': 'owner' },
        ExpressionAttributeValues: {
          ':decided': 'DECIDED',
          ':claimed': 'CLAIMED',
          ':status': status,
          ':r': remaining,
          ':at': at,
          ':shard': 'PENDING#00',
          ':one': 1,
        },
      }),
    );
    return status === 'PERMITTED' ? 'permitted' : 'rejected';
  };
