import { addCents, formatMoney, type Cents } from '../money.js';
import type { DepositRecord } from './inputs.js';
import type { Difference } from './report.js';

/** Compares DepositEvents with Aurora `deposits`, fed page by page from either side in any order. */
export interface DepositMatcher {
  addFromDynamoDb(records: Iterable<DepositRecord>): void;
  addFromAurora(records: Iterable<DepositRecord>): void;
  /** Distinct deposit_ids seen so far. */
  readonly checked: number;
  /** The differences, once both sides have been fed in full. */
  differences(): Difference[];
}

interface Pending {
  readonly user_id: string;
  readonly amount: Cents;
}

type Side = 'DYNAMODB' | 'AURORA';

/**
 * A symmetric hash join: a deposit waits in its side's map until the other side shows it, then
 * both are compared and forgotten. Memory is the unmatched deposits only, so feeding the two
 * sides' pages alternately keeps it small even over a million deposits; user ids are interned
 * because the same few thousand repeat across every page. Each side must list a deposit once.
 */
export const createDepositMatcher = (): DepositMatcher => {
  const waiting: Record<Side, Map<string, Pending>> = { DYNAMODB: new Map(), AURORA: new Map() };
  const users = new Map<string, string>();
  const mismatches: Difference[] = [];
  let checked = 0;

  const intern = (userId: string): string => {
    const known = users.get(userId);
    if (known !== undefined) return known;
    users.set(userId, userId);
    return userId;
  };

  const add = (side: Side, records: Iterable<DepositRecord>): void => {
    const other = waiting[side === 'DYNAMODB' ? 'AURORA' : 'DYNAMODB'];
    for (const record of records) {
      const match = other.get(record.deposit_id);
      if (match === undefined) {
        waiting[side].set(record.deposit_id, {
          user_id: intern(record.user_id),
          amount: record.amount,
        });
        checked += 1;
        continue;
      }
      other.delete(record.deposit_id);
      const [dynamo, aurora] = side === 'DYNAMODB' ? [record, match] : [match, record];
      mismatches.push(...compare(record.deposit_id, dynamo, aurora));
    }
  };

  return {
    addFromDynamoDb: (records) => {
      add('DYNAMODB', records);
    },
    addFromAurora: (records) => {
      add('AURORA', records);
    },
    get checked() {
      return checked;
    },
    differences: () => [
      ...mismatches,
      ...[...waiting.DYNAMODB].map(([deposit_id, dynamo]) => missingInAurora(deposit_id, dynamo)),
      ...[...waiting.AURORA].map(([deposit_id, aurora]) => missingInDynamoDb(deposit_id, aurora)),
    ],
  };
};

const compare = (deposit_id: string, dynamo: Pending, aurora: Pending): Difference[] => {
  if (dynamo.user_id !== aurora.user_id) {
    const where = ` (the deposit is filed under user "${aurora.user_id}" in Aurora)`;
    const there = ` (the deposit is filed under user "${dynamo.user_id}" in DepositEvents)`;
    return [
      missingInAurora(deposit_id, dynamo, where),
      missingInDynamoDb(deposit_id, aurora, there),
    ];
  }
  if (dynamo.amount === aurora.amount) return [];
  return [
    {
      kind: 'DEPOSIT_AMOUNT_MISMATCH',
      user_id: dynamo.user_id,
      deposit_id,
      expected: dynamo.amount,
      actual: aurora.amount,
      delta: addCents(aurora.amount, -dynamo.amount),
      message: `deposit is ${formatMoney(dynamo.amount)} in DepositEvents but ${formatMoney(aurora.amount)} in Aurora`,
    },
  ];
};

const missingInAurora = (deposit_id: string, dynamo: Pending, note = ''): Difference => ({
  kind: 'DEPOSIT_MISSING_IN_AURORA',
  user_id: dynamo.user_id,
  deposit_id,
  expected: dynamo.amount,
  actual: null,
  delta: -dynamo.amount,
  message: `deposit of ${formatMoney(dynamo.amount)} is in DepositEvents but not in Aurora${note}`,
});

const missingInDynamoDb = (deposit_id: string, aurora: Pending, note = ''): Difference => ({
  kind: 'DEPOSIT_MISSING_IN_DYNAMODB',
  user_id: aurora.user_id,
  deposit_id,
  expected: null,
  actual: aurora.amount,
  delta: aurora.amount,
  message: `deposit of ${formatMoney(aurora.amount)} is in Aurora but not in DepositEvents${note}`,
});
