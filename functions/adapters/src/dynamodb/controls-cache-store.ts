import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ControlsCache, ControlsWriteOutcome } from '@creditline/domain';
import {
  controlAttributes,
  controlsAttributeValues,
  readControlledItem,
} from './account-controls-attributes.js';
import { creditCacheKey } from './credit-cache-item.js';
import { mapDynamoDbError } from './dynamodb-errors.js';

/**
 * The account item's copy of the controls: on the very item the decision commits on (key
 * `creditCacheKey`), so the hold's one conditional write checks them. A write sets them with their version, only over an
 * older version, and only on an item that exists: an account without an item has had no
 * deposit and no hold, and the item seeded for it later starts from the books, controls
 * included. The tallies are left alone: a new limit counts what was already spent in its window.
 */
export const createControlsCacheStore = (
  doc: DynamoDBDocumentClient,
  tableName: string,
): ControlsCache => ({
  async write(key, controls, version): Promise<ControlsWriteOutcome> {
    const values = controlsAttributeValues(controls, version);
    const names = Object.keys(values);
    try {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: creditCacheKey(key.partner_id, key.user_id),
          ConditionExpression:
            'attribute_exists(#available) AND (attribute_not_exists(#version) OR #version < :version)',
          UpdateExpression: `SET ${names.map((_, index) => `#a${index} = :a${index}`).join(', ')}`,
          ExpressionAttributeNames: {
            '#available': 'available',
            '#version': controlAttributes.version,
            ...Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
          },
          ExpressionAttributeValues: {
            ':version': version,
            ...Object.fromEntries(names.map((name, index) => [`:a${index}`, values[name]])),
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        return error.Item === undefined ? 'no-account' : 'already-newer';
      throw mapDynamoDbError(error, 'UpdateItem CreditCache (controls)');
    }
  },

  async read(key) {
    const output = await doc
      .send(
        new GetCommand({
          TableName: tableName,
          Key: creditCacheKey(key.partner_id, key.user_id),
          ConsistentRead: true,
        }),
      )
      .catch((error: unknown) => {
        throw mapDynamoDbError(error, 'GetItem CreditCache');
      });
    if (output.Item === undefined) return null;
    const { stored } = readControlledItem(output.Item, key.user_id);
    return {
      controls: {
        status: stored.status,
        currency: stored.currency,
        max_per_transaction: stored.max_per_transaction,
        velocity_limits: [...stored.velocity_limits],
        balance_monitors: [...stored.balance_monitors],
      },
      version: stored.version,
    };
  },
});
