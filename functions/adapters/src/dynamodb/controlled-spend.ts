import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  effectiveControls,
  planSpend,
  RetryableStoreError,
  type AccountKey,
  type ControlRejectReason,
  type DeclineDetail,
  type ProgramControls,
  type Spend,
} from '@creditline/domain';
import { itemKey } from '../definitions/tenancy.js';
import { readControlledItem, type ControlledItem } from './account-controls-attributes.js';
import { mapDynamoDbError } from './dynamodb-errors.js';
import { spendPlanExpression } from './spend-plan-expression.js';

export type ControlledSpendOutcome =
  | { readonly type: 'permitted'; readonly remaining_credit: number; readonly attempts: number }
  | { readonly type: 'rejected'; readonly reason: ControlRejectReason; readonly detail: DeclineDetail; readonly attempts: number }
  | { readonly type: 'no-account' };

export interface ControlledSpendOptions {
  readonly programDefaults: (partnerId: string) => ProgramControls;
  /** Re-plans after a failed condition; each failure means the item moved (a window rolled, controls changed). */
  readonly maxAttempts?: number;
}

/** The account item's key: the partner's user (`partner#user_id`), see tenancy.ts. */
export const accountItemKey = (key: AccountKey): Record<string, string> => ({
  ...itemKey(key.partner_id, key.user_id),
});

/**
 * Debits a spend on the account item in ONE conditional UpdateItem whose condition is the
 * controls and the credit (see `planSpend`): the check and the hold are one write. A failed
 * condition returns the item as it was (ALL_OLD); the refusal is named from that image, or,
 * when the image would still permit (a window rolled, the controls changed), the spend is
 * planned again from it. Concurrent spends never conflict: each succeeds while there is room.
 */
export const createControlledSpend = (doc: DynamoDBDocumentClient, tableName: string, options: ControlledSpendOptions) => {
  const maxAttempts = options.maxAttempts ?? 8;

  const readItem = async (key: AccountKey): Promise<ControlledItem | null> => {
    const output = await doc
      .send(new GetCommand({ TableName: tableName, Key: accountItemKey(key), ConsistentRead: true }))
      .catch((error: unknown) => {
        throw mapDynamoDbError(error, 'GetItem CreditCache');
      });
    return output.Item === undefined ? null : readControlledItem(output.Item, key.user_id);
  };

  return async (key: AccountKey, spend: Spend, now: Date): Promise<ControlledSpendOutcome> => {
    let image = await readItem(key);
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      if (image === null) return { type: 'no-account' };
      const state = {
        controls: effectiveControls(image.stored, options.programDefaults(key.partner_id)),
        controls_version: image.stored.version,
        usage: image.usage,
        available: image.available,
      };
      const planned = planSpend(state, spend, now);
      if (planned.verdict === 'REJECT') return { type: 'rejected', reason: planned.reason, detail: planned.detail, attempts: attempt };
      const parts = spendPlanExpression(planned.plan);
      try {
        const output = await doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: accountItemKey(key),
            ConditionExpression: ['attribute_exists(#available)', '#available >= :amount', ...parts.conditions].join(' AND '),
            UpdateExpression: `SET ${['#available = #available - :amount', ...parts.updates].join(', ')}`,
            ExpressionAttributeNames: { '#available': 'available', ...parts.names },
            ExpressionAttributeValues: { ':amount': planned.plan.available_at_least, ...parts.values },
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        const after = readControlledItem(output.Attributes ?? {}, key.user_id);
        return { type: 'permitted', remaining_credit: after.available, attempts: attempt };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw mapDynamoDbError(error, 'UpdateItem CreditCache');
        image = error.Item === undefined ? null : readControlledItem(unmarshall(error.Item), key.user_id);
      }
    }
    throw new RetryableStoreError(`CreditCache item ${key.user_id} kept moving for ${maxAttempts} attempts`, 'CONTENTION');
  };
};
