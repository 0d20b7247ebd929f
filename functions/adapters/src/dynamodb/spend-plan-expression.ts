import type { AccumulateLifetime, CalendarStep, RollingStep, WindowSteps } from '@creditline/domain';
import { calendarAttributes, lifetimeAttributes, packClosedBuckets, rollingAttributes } from './account-controls-attributes.js';

/**
 * The window steps of an account operation plan as the parts of ONE UpdateItem: conditions (joined with AND) and SET
 * clauses, with their names and values. Placeholders carry a prefix so the parts can join the
 * hold's own expression without clashing. Every rule is a comparison with a precomputed
 * threshold (a condition cannot add), and every tally moves with `x = x + :n`, so concurrent
 * writes on the item serialise instead of conflicting. `applySpendPlan` in the domain is the
 * specification these parts are tested against; `accountOperationUpdate` joins them to the
 * operation's own condition and figures.
 */
export interface ExpressionParts {
  readonly conditions: string[];
  readonly updates: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

export const spendPlanExpression = (plan: WindowSteps, prefix = 'k'): ExpressionParts => {
  const parts: ExpressionParts = { conditions: [], updates: [], names: {}, values: {} };
  const name = (attribute: string): string => {
    const placeholder = `#${prefix}_${attribute}`;
    parts.names[placeholder] = attribute;
    return placeholder;
  };
  let counter = 0;
  const value = (literal: unknown): string => {
    const placeholder = `:${prefix}${counter++}`;
    parts.values[placeholder] = literal;
    return placeholder;
  };
  const atMost = (attribute: string, limit: number | undefined) => {
    if (limit !== undefined) parts.conditions.push(`${name(attribute)} <= ${value(limit)}`);
  };
  const add = (attribute: string, amount: number) => {
    parts.updates.push(`${name(attribute)} = ${name(attribute)} + ${value(amount)}`);
  };
  const set = (attribute: string, literal: unknown) => {
    parts.updates.push(`${name(attribute)} = ${value(literal)}`);
  };

  const calendar = (attributes: { start: string; amount: string; count: string }, step: CalendarStep | undefined) => {
    if (step === undefined) return;
    if (step.kind === 'accumulate') {
      parts.conditions.push(`${name(attributes.start)} = ${value(step.start)}`);
      atMost(attributes.amount, step.amount_at_most);
      atMost(attributes.count, step.count_at_most);
      add(attributes.amount, step.add.amount);
      add(attributes.count, step.add.count);
      return;
    }
    parts.conditions.push(
      step.expected_start === null ? `attribute_not_exists(${name(attributes.start)})` : `${name(attributes.start)} = ${value(step.expected_start)}`,
    );
    set(attributes.start, step.set.start);
    set(attributes.amount, step.set.amount);
    set(attributes.count, step.set.count);
  };
  calendar(calendarAttributes.daily, plan.daily);
  calendar(calendarAttributes.weekly, plan.weekly);
  calendar(calendarAttributes.monthly, plan.monthly);

  const rolling = (step: RollingStep | undefined) => {
    if (step === undefined) return;
    const attributes = rollingAttributes;
    if (step.kind === 'accumulate') {
      parts.conditions.push(`${name(attributes.hour)} = ${value(step.hour)}`);
      atMost(attributes.amount, step.amount_at_most);
      atMost(attributes.count, step.count_at_most);
      add(attributes.amount, step.add.amount);
      add(attributes.count, step.add.count);
      return;
    }
    if (step.kind === 'amend') {
      // The closed buckets only change when the open hour moves: pinning the hour pins them.
      parts.conditions.push(`${name(attributes.hour)} = ${value(step.hour)}`);
      set(attributes.past, packClosedBuckets(step.past_amounts, step.past_counts));
      return;
    }
    if (step.expected === null) {
      parts.conditions.push(`attribute_not_exists(${name(attributes.hour)})`);
    } else {
      // The closed buckets are computed from the open one: pin its tally, not just its hour.
      parts.conditions.push(`${name(attributes.hour)} = ${value(step.expected.hour)}`);
      parts.conditions.push(`${name(attributes.amount)} = ${value(step.expected.amount)}`);
      parts.conditions.push(`${name(attributes.count)} = ${value(step.expected.count)}`);
    }
    set(attributes.hour, step.set.hour);
    set(attributes.amount, step.set.amount);
    set(attributes.count, step.set.count);
    set(attributes.past, packClosedBuckets(step.set.past_amounts, step.set.past_counts));
  };
  rolling(plan.rolling_24h);

  const lifetime = (step: AccumulateLifetime | undefined) => {
    if (step === undefined) return;
    const bounded = (attribute: string, limit: number | undefined) => {
      if (limit !== undefined) parts.conditions.push(`(attribute_not_exists(${name(attribute)}) OR ${name(attribute)} <= ${value(limit)})`);
    };
    bounded(lifetimeAttributes.amount, step.amount_at_most);
    bounded(lifetimeAttributes.count, step.count_at_most);
    const zero = value(0);
    for (const [attribute, amount] of [
      [lifetimeAttributes.amount, step.add.amount],
      [lifetimeAttributes.count, step.add.count],
    ] as const) {
      parts.updates.push(`${name(attribute)} = if_not_exists(${name(attribute)}, ${zero}) + ${value(amount)}`);
    }
  };
  lifetime(plan.lifetime);
  return parts;
};
