import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  PermanentStoreError,
  type CreditAccount,
  type CreditAccountCache,
  type SeedOutcome,
} from '@creditline/domain';
import { itemKey } from '../definitions/tenancy.js';
import {
  creditCacheItemSchema,
  toCreditAccount,
  type CreditCacheItem,
} from './credit-cache-item.js';
import { mapDynamoDbError } from './dynamodb-errors.js';

/** The item a seed writes: the account as the books hold it, at version 0. */
export const toCreditCacheItem = (
  partnerId: string,
  account: CreditAccount,
  now: Date,
): CreditCacheItem => ({
  ...itemKey(partnerId, account.user_id),
  partner_id: partnerId,
  user_id: account.user_id,
  available: account.available,
  version: account.version,
  account_status: account.status,
  currency: account.currency,
  per_transaction_limit: account.per_transaction_limit,
  updated_at: now.toISOString(),
});

/**
 * CreditCache as the authorization path uses it: one strongly consistent GetItem per read, and
 * a seed that only creates (attribute_not_exists) so it can never overwrite a hold or a credit.
 */
export const createCreditCacheStore = (
  doc: DynamoDBDocumentClient,
  tableName: string,
  clock: { now(): Date } = { now: () => new Date() },
): CreditAccountCache => ({
  async read(partnerId, userId) {
    const output = await doc
      .send(
        new GetCommand({
          TableName: tableName,
          Key: itemKey(partnerId, userId),
          ConsistentRead: true,
        }),
      )
      .catch((error: unknown) => {
        throw mapDynamoDbError(error, 'GetItem CreditCache');
      });
    if (output.Item === undefined) return null;
    const item = creditCacheItemSchema.safeParse(output.Item);
    if (!item.success) {
      throw new PermanentStoreError(
        `CreditCache item ${partnerId}/${userId} is malformed: ${item.error.message}`,
        'MALFORMED_ITEM',
      );
    }
    return toCreditAccount(item.data);
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
});
