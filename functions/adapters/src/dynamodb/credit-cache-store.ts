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
  type CreditAccount,
  type CreditAccountCache,
  type OperationOutcome,
  type SeedOutcome,
} from '@creditline/domain';
import { accountOperationUpdate } from './account-operation-update.js';
import {
  creditCacheItemSchema,
  creditCacheKey,
  toCreditAccount,
  type CreditCacheItem,
} from './credit-cache-item.js';
import { mapDynamoDbError } from './dynamodb-errors.js';
import { readControlledItem } from './account-controls-attributes.js';

/** The item a seed writes: the partner's account as the books hold it, nothing held. */
export const toCreditCacheItem = (
  partnerId: string,
  account: CreditAccount,
  now: Date,
): CreditCacheItem => ({
  ...creditCacheKey(partnerId, account.user_id),
  partner_id: partnerId,
  user_id: account.user_id,
  available: account.available,
  pending: account.pending,
  version: account.version,
  account_status: account.status,
  currency: account.currency,
  per_transaction_limit: account.per_transaction_limit,
  updated_at: now.toISOString(),
});

/** An item as DynamoDB returned it (document form), as the account; a malformed one is a bug. */
export const parseCreditAccount = (
  item: Record<string, unknown>,
  userId: string,
): CreditAccount => {
  const parsed = creditCacheItemSchema.safeParse(item);
  if (!parsed.success) {
    throw new PermanentStoreError(
      `CreditCache item ${userId} is malformed: ${parsed.error.message}`,
      'MALFORMED_ITEM',
    );
  }
  const { stored, usage } = readControlledItem(item, userId);
  return { ...toCreditAccount(parsed.data), controlled: { stored, usage } };
};

export interface CreditCacheStoreOptions {
  readonly clock?: { now(): Date };
  /**
   * The client account operations are sent with. It must not retry by itself: a debit that timed
   * out may have landed, and only the use-case can redo it safely (under a new claim attempt).
   * Defaults to `doc`, for callers that only read and seed.
   */
  readonly operations?: DynamoDBDocumentClient;
}

/**
 * CreditCache: strongly consistent reads, a seed that only creates (attribute_not_exists, so it
 * never overwrites a hold or a credit), and `apply`, the one conditional UpdateItem every money
 * operation is.
 */
export const createCreditCacheStore = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  options: CreditCacheStoreOptions = {},
): CreditAccountCache => {
  const clock = options.clock ?? { now: () => new Date() };
  const operations = options.operations ?? doc;
  return {
    async read(partnerId, userId) {
      const output = await doc
        .send(
          new GetCommand({
            TableName: tableName,
            Key: creditCacheKey(partnerId, userId),
            ConsistentRead: true,
          }),
        )
        .catch((error: unknown) => {
          throw mapDynamoDbError(error, 'GetItem CreditCache');
        });
      return output.Item === undefined
        ? null
        : parseCreditAccount(output.Item, `${partnerId}/${userId}`);
    },

    async seed(partnerId, account): Promise<SeedOutcome> {
      try {
        await doc.send(
          new PutCommand({
            TableName: tableName,
            Item: toCreditCacheItem(partnerId, account, clock.now()),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return 'seeded';
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return 'exists';
        throw mapDynamoDbError(error, 'PutItem CreditCache');
      }
    },

    async apply(partnerId, plan): Promise<OperationOutcome> {
      try {
        const { Attributes } = await operations.send(
          new UpdateCommand(accountOperationUpdate(tableName, partnerId, plan)),
        );
        if (Attributes === undefined)
          throw new PermanentStoreError(
            'UpdateItem CreditCache returned no ALL_NEW image',
            'NO_IMAGE',
          );
        return { kind: 'applied', account: parseCreditAccount(Attributes, plan.user_id) };
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) {
          // The exception carries the old image in wire form (the document client does not convert errors).
          const old =
            error.Item === undefined
              ? null
              : parseCreditAccount(unmarshall(error.Item), plan.user_id);
          return { kind: 'refused', account: old };
        }
        throw mapDynamoDbError(error, 'UpdateItem CreditCache');
      }
    },
  };
};
