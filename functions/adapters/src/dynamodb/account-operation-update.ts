import type { UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { AccountOperationPlan, AccountRequirement } from '@creditline/domain';
import {
  creditCacheKey,
  figureAttributes,
  limitAttributes,
  settingAttributes,
} from './credit-cache-item.js';
import { controlAttributes } from './account-controls-attributes.js';
import { spendPlanExpression } from './spend-plan-expression.js';

/**
 * The one place an account operation becomes a DynamoDB write: the plan's requirements and its
 * velocity windows' pins and thresholds as the ConditionExpression (values only: no version
 * guard), its deltas as ADDs and its tallies as `x = x + :n`, its stamp as
 * `last_op`, and the version (an operation counter, guarded by nothing on this path) bumped.
 * ALL_NEW gives the exact figures the write produced; ALL_OLD on a failed condition gives the
 * image the domain names the refusal from.
 */
export const accountOperationUpdate = (
  tableName: string,
  /** The account's partner: the item is `partner#user_id`. */
  partnerId: string,
  plan: AccountOperationPlan,
): UpdateCommandInput => {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {
    ':one': 1,
    ':last_op': plan.stamp,
  };
  const name = (attribute: string): string => {
    const placeholder = `#${attribute}`;
    names[placeholder] = attribute;
    return placeholder;
  };
  let valueCount = 0;
  const value = (of: unknown): string => {
    const placeholder = `:v${valueCount}`;
    valueCount += 1;
    values[placeholder] = of;
    return placeholder;
  };

  const condition = (requirement: AccountRequirement): string => {
    switch (requirement.kind) {
      case 'exists':
        return `attribute_exists(${name('user_id')})`;
      case 'setting-equals': {
        const setting = settingAttributes[requirement.setting];
        const attribute = name(setting.name);
        const equals = `${attribute} = ${value(requirement.value)}`;
        return requirement.value === setting.absentMeans
          ? `(attribute_not_exists(${attribute}) OR ${equals})`
          : equals;
      }
      case 'figure-at-least': {
        const attribute = name(figureAttributes[requirement.figure]);
        return `${attribute} >= ${value(requirement.value)}`;
      }
      case 'limit-at-least': {
        const attribute = name(limitAttributes[requirement.limit]);
        const nullType = value('NULL');
        return `(attribute_not_exists(${attribute}) OR attribute_type(${attribute}, ${nullType}) OR ${attribute} >= ${value(requirement.value)})`;
      }
      case 'controls-version': {
        // Absent: the controls were never set (version 0, the program defaults apply).
        const attribute = name(controlAttributes.version);
        return requirement.value === 0
          ? `attribute_not_exists(${attribute})`
          : `${attribute} = ${value(requirement.value)}`;
      }
    }
  };

  // The item must exist whatever the plan says: an ADD on a missing item would create one.
  const requirements: readonly AccountRequirement[] = plan.requires.some(
    (requirement) => requirement.kind === 'exists',
  )
    ? plan.requires
    : [{ kind: 'exists' }, ...plan.requires];
  const windows = plan.windows === undefined ? null : spendPlanExpression(plan.windows, 'w');
  const conditions = [...requirements.map(condition), ...(windows?.conditions ?? [])];
  const sets = [`${name('last_op')} = :last_op`, ...(windows?.updates ?? [])];
  const adds = [
    `${name('version')} :one`,
    ...Object.entries(plan.deltas).map(
      ([figure, delta]) =>
        `${name(figureAttributes[figure as keyof typeof figureAttributes])} ${value(delta)}`,
    ),
  ];
  return {
    TableName: tableName,
    Key: creditCacheKey(partnerId, plan.user_id),
    // `updated_at` (set by seeds and repairs) goes: the stamp's `at` says when the item last
    // moved, and the item must stay within one write unit with every control set.
    UpdateExpression: `SET ${sets.join(', ')} REMOVE ${name('updated_at')} ADD ${adds.join(', ')}`,
    ConditionExpression: conditions.join(' AND '),
    ExpressionAttributeNames: { ...names, ...windows?.names },
    ExpressionAttributeValues: { ...values, ...windows?.values },
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
};
