import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  PermanentStoreError,
  type ClaimOutcome,
  type DecisionLog,
  type DecisionRecord,
  type FinalizeOutcome,
  type StoredTransaction,
  type TransactionClaim,
} from '@creditline/domain';
import type { TableNames } from '../definitions/tables.js';
import { scopedKey } from '../definitions/tenancy.js';
import { mapDynamoDbError } from './dynamodb-errors.js';
import {
  storedTransactionItemSchema,
  transactionLogKey,
  unsettledShardKey,
  type ClaimItem,
  type TransactionLogItem,
} from './transaction-log-item.js';

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
  ...(item.detail !== undefined ? { detail: item.detail } : {}),
  ...(item.callback_url !== undefined ? { callback_url: item.callback_url } : {}),
  partner_id: item.partner_id,
  fingerprint: item.fingerprint,
});

const toClaim = (item: ClaimItem): TransactionClaim => ({
  transaction_id: item.transaction_id,
  user_id: item.user_id,
  amount: item.amount,
  ...(item.currency !== undefined ? { currency: item.currency } : {}),
  ...(item.callback_url !== undefined ? { callback_url: item.callback_url } : {}),
  partner_id: item.partner_id,
  fingerprint: item.fingerprint,
  owner: item.owner,
  attempt: item.attempt,
  lease_until: item.lease_until,
});

/** Any TransactionLog item (document form) as the port's StoredTransaction; a malformed one is a bug. */
export const toStoredTransaction = (item: Record<string, unknown>): StoredTransaction => {
  const parsed = storedTransactionItemSchema.safeParse(item);
  if (!parsed.success) {
    const key = typeof item['pk'] === 'string' ? item['pk'] : '?';
    throw new PermanentStoreError(
      `TransactionLog item ${key} is malformed: ${parsed.error.message}`,
      'MALFORMED_ITEM',
    );
  }
  return parsed.data.state === 'CLAIMED'
    ? { state: 'CLAIMED', claim: toClaim(parsed.data) }
    : { state: 'DECIDED', attempt: parsed.data.attempt, record: toDecisionRecord(parsed.data) };
};

/** The old image a failed condition returned (wire form), or null when there was no item. */
const oldImage = (error: ConditionalCheckFailedException): StoredTransaction | null =>
  error.Item === undefined ? null : toStoredTransaction(unmarshall(error.Item));

const CURRENT_CLAIM = '#state = :claimed AND #attempt = :attempt';

/**
 * TransactionLog as the decision path uses it: claim, take over, finalize, all conditional on
 * the claim's state and attempt, each returning the item it found when its condition fails
 * (ReturnValuesOnConditionCheckFailure), so a contender learns what won in the same round trip.
 */
export const createTransactionLogStore = (
  doc: DynamoDBDocumentClient,
  tables: Pick<TableNames, 'transactionLog'>,
): DecisionLog => {
  const tableName = tables.transactionLog;
  const send = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw mapDynamoDbError(error, `${operation} TransactionLog`);
    }
  };

  const read = async (
    partnerId: string,
    transactionId: string,
  ): Promise<StoredTransaction | null> => {
    const { Item } = await send('GetItem', () =>
      doc.send(
        new GetCommand({
          TableName: tableName,
          Key: transactionLogKey(partnerId, transactionId),
          ConsistentRead: true,
        }),
      ),
    );
    return Item === undefined ? null : toStoredTransaction(Item);
  };

  const existingAfterFailure = (error: unknown, key: string): StoredTransaction => {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    const existing = oldImage(error);
    if (existing === null)
      throw new PermanentStoreError(`TransactionLog has no claim ${key}`, 'ItemNotFound');
    return existing;
  };

  return {
    async find(partnerId, transactionId) {
      const stored = await read(partnerId, transactionId);
      return stored?.state === 'DECIDED' ? stored.record : null;
    },

    read,

    async claim(claim): Promise<ClaimOutcome> {
      try {
        await send('PutItem', () =>
          doc.send(
            new PutCommand({
              TableName: tableName,
              // Keyed `partner#transaction_id`: another partner's claim on the same id is another item.
              Item: {
                ...claim,
                ...transactionLogKey(claim.partner_id, claim.transaction_id),
                account_key: scopedKey(claim.partner_id, claim.user_id),
                state: 'CLAIMED',
              } satisfies ClaimItem,
              ConditionExpression: 'attribute_not_exists(pk)',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return { kind: 'claimed' };
      } catch (error) {
        return {
          kind: 'taken',
          existing: existingAfterFailure(error, `${claim.partner_id}/${claim.transaction_id}`),
        };
      }
    },

    async takeOver(partnerId, transactionId, fromAttempt, to): Promise<ClaimOutcome> {
      try {
        await send('UpdateItem', () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: transactionLogKey(partnerId, transactionId),
              UpdateExpression: 'SET #attempt = :next, #owner = :owner, #lease = :lease',
              ConditionExpression: CURRENT_CLAIM,
              ExpressionAttributeNames: {
                '#state': 'state',
                '#attempt': 'attempt',
                '#owner': 'owner',
                '#lease': 'lease_until',
              },
              ExpressionAttributeValues: {
                ':claimed': 'CLAIMED',
                ':attempt': fromAttempt,
                ':next': to.attempt,
                ':owner': to.owner,
                ':lease': to.lease_until,
              },
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        return { kind: 'claimed' };
      } catch (error) {
        return {
          kind: 'taken',
          existing: existingAfterFailure(error, `${partnerId}/${transactionId}`),
        };
      }
    },

    async finalize(partnerId, transactionId, attempt, verdict): Promise<FinalizeOutcome> {
      try {
        const { Attributes } = await send('UpdateItem', () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: transactionLogKey(partnerId, transactionId),
              UpdateExpression: `SET #state = :decided, #status = :status, #reason = :reason, remaining_credit = :remaining, decided_at = :at, settlement_state = :shard${verdict.detail !== undefined ? ', detail = :detail' : ''} REMOVE #owner, #lease`,
              ConditionExpression: CURRENT_CLAIM,
              ExpressionAttributeNames: {
                '#state': 'state',
                '#attempt': 'attempt',
                '#status': 'status',
                '#reason': 'reason',
                '#owner': 'owner',
                '#lease': 'lease_until',
              },
              ExpressionAttributeValues: {
                ':claimed': 'CLAIMED',
                ':attempt': attempt,
                ':decided': 'DECIDED',
                ':status': verdict.status,
                ':reason': verdict.reason,
                ':remaining': verdict.remaining_credit,
                ':at': verdict.decided_at,
                ':shard': unsettledShardKey(scopedKey(partnerId, transactionId)),
                ...(verdict.detail !== undefined ? { ':detail': verdict.detail } : {}),
              },
              ReturnValues: 'ALL_NEW',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        const stored = Attributes === undefined ? null : toStoredTransaction(Attributes);
        if (stored?.state !== 'DECIDED')
          throw new PermanentStoreError(
            `finalizing ${partnerId}/${transactionId} left it undecided`,
            'NOT_DECIDED',
          );
        return { kind: 'decided', record: stored.record };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { kind: 'lost', existing: oldImage(error) };
      }
    },

    async abandon(partnerId, transactionId, attempt, owner) {
      try {
        await send('UpdateItem', () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: transactionLogKey(partnerId, transactionId),
              UpdateExpression: 'SET #lease = :now',
              ConditionExpression: `${CURRENT_CLAIM} AND #owner = :owner`,
              ExpressionAttributeNames: {
                '#state': 'state',
                '#attempt': 'attempt',
                '#owner': 'owner',
                '#lease': 'lease_until',
              },
              ExpressionAttributeValues: {
                ':claimed': 'CLAIMED',
                ':attempt': attempt,
                ':owner': owner,
                ':now': new Date(0).toISOString(),
              },
            }),
          ),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
};
