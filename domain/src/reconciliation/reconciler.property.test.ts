import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type {
  AuroraUserFigures,
  CacheItemFigures,
  DepositRecord,
  ReconciliationRules,
  UnsettledDecision,
} from './inputs.js';
import { reconcile, type ReconciliationInput } from './reconciler.js';
import type { DifferenceKind } from './report.js';

const NOW = new Date('2026-03-02T02:00:00.000Z');
const rules: ReconciliationRules = { now: NOW, unsettledAfterMs: 15 * 60_000 };
const RECENT = '2026-03-02T01:59:00.000Z';

const sum = (amounts: readonly number[]): number =>
  amounts.reduce((total, amount) => total + amount, 0);

/** One user's history, from which every store's figures are derived consistently. */
const userHistories = fc.record({
  deposits: fc.array(fc.integer({ min: 1, max: 1_000_000 }), { maxLength: 6 }),
  settledPermits: fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 4 }),
  unsettledPermits: fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 3 }),
  unsettledRejects: fc.array(fc.integer({ min: 1, max: 100_000 }), { maxLength: 2 }),
  hasCacheItem: fc.boolean(),
  balanceRowWhenEmpty: fc.boolean(),
});
type UserHistory = typeof userHistories extends fc.Arbitrary<infer T> ? T : never;

const ledgers = fc
  .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/), { minLength: 1, maxLength: 12 })
  .chain((ids) =>
    fc.tuple(...ids.map((id) => userHistories.map((history) => ({ id, ...history })))),
  );
type Ledger = (UserHistory & { id: string })[];

interface Figures {
  auroraUsers: AuroraUserFigures[];
  cacheItems: CacheItemFigures[];
  unsettledDecisions: UnsettledDecision[];
  dynamoDbDeposits: DepositRecord[];
  auroraDeposits: DepositRecord[];
}

/** The figures a healthy system would hold for this ledger. */
const figuresOf = (ledger: Ledger): Figures => {
  const figures: Figures = {
    auroraUsers: [],
    cacheItems: [],
    unsettledDecisions: [],
    dynamoDbDeposits: [],
    auroraDeposits: [],
  };
  for (const user of ledger) {
    const deposits_total = sum(user.deposits);
    const permitted_total = sum(user.settledPermits);
    const empty = deposits_total === 0 && permitted_total === 0;
    const balance = empty && !user.balanceRowWhenEmpty ? null : deposits_total - permitted_total;
    figures.auroraUsers.push({ user_id: user.id, deposits_total, permitted_total, balance });
    if (user.hasCacheItem) {
      figures.cacheItems.push({
        user_id: user.id,
        available: (balance ?? 0) - sum(user.unsettledPermits),
      });
    }
    user.unsettledPermits.forEach((amount, n) => {
      figures.unsettledDecisions.push({
        transaction_id: `${user.id}-p${n}`,
        user_id: user.id,
        status: 'PERMITTED',
        amount,
        decided_at: RECENT,
      });
    });
    user.unsettledRejects.forEach((amount, n) => {
      figures.unsettledDecisions.push({
        transaction_id: `${user.id}-r${n}`,
        user_id: user.id,
        status: 'REJECTED',
        amount,
        decided_at: RECENT,
      });
    });
    user.deposits.forEach((amount, n) => {
      figures.dynamoDbDeposits.push({ deposit_id: `${user.id}-d${n}`, user_id: user.id, amount });
      figures.auroraDeposits.unshift({ deposit_id: `${user.id}-d${n}`, user_id: user.id, amount });
    });
  }
  return figures;
};

const inputOf = (figures: Figures): ReconciliationInput => ({
  ...figures,
  deadLetteredCallbacks: [],
});

type Perturbation =
  | 'deposits_total'
  | 'permitted_total'
  | 'balance'
  | 'available'
  | 'unsettled_permit'
  | 'aurora_deposit'
  | 'dynamodb_deposit';

/**
 * What moving one figure by a cent must reveal. The cache is checked against the stored balance
 * (DESIGN.md), so a wrong balance also shows on the user's cache item when there is one.
 */
const expectedKinds = (perturbation: Perturbation, user: UserHistory): DifferenceKind[] => {
  switch (perturbation) {
    case 'deposits_total':
    case 'permitted_total':
      return ['BALANCE_MISMATCH'];
    case 'balance':
      return user.hasCacheItem ? ['BALANCE_MISMATCH', 'CACHE_MISMATCH'] : ['BALANCE_MISMATCH'];
    case 'available':
    case 'unsettled_permit':
      return ['CACHE_MISMATCH'];
    case 'aurora_deposit':
    case 'dynamodb_deposit':
      return ['DEPOSIT_AMOUNT_MISMATCH'];
  }
};

const applicable = (user: UserHistory): Perturbation[] => [
  'deposits_total',
  'permitted_total',
  'balance',
  ...(user.hasCacheItem ? (['available'] as const) : []),
  ...(user.hasCacheItem && user.unsettledPermits.length > 0 ? (['unsettled_permit'] as const) : []),
  ...(user.deposits.length > 0 ? (['aurora_deposit', 'dynamodb_deposit'] as const) : []),
];

const nudge = <T extends { user_id: string }>(
  items: T[],
  userId: string,
  change: (item: T) => T,
): T[] => {
  let done = false;
  return items.map((item) => {
    if (done || item.user_id !== userId) return item;
    done = true;
    return change(item);
  });
};

const perturb = (
  figures: Figures,
  userId: string,
  perturbation: Perturbation,
  cent: 1 | -1,
): Figures => {
  switch (perturbation) {
    case 'deposits_total':
      return {
        ...figures,
        auroraUsers: nudge(figures.auroraUsers, userId, (u) => ({
          ...u,
          deposits_total: u.deposits_total + cent,
        })),
      };
    case 'permitted_total':
      return {
        ...figures,
        auroraUsers: nudge(figures.auroraUsers, userId, (u) => ({
          ...u,
          permitted_total: u.permitted_total + cent,
        })),
      };
    case 'balance':
      return {
        ...figures,
        auroraUsers: nudge(figures.auroraUsers, userId, (u) => ({
          ...u,
          balance: (u.balance ?? 0) + cent,
        })),
      };
    case 'available':
      return {
        ...figures,
        cacheItems: nudge(figures.cacheItems, userId, (c) => ({
          ...c,
          available: c.available + cent,
        })),
      };
    case 'unsettled_permit':
      return {
        ...figures,
        unsettledDecisions: nudge(
          figures.unsettledDecisions.filter((d) => d.status === 'PERMITTED'),
          userId,
          (d) => ({ ...d, amount: d.amount + cent }),
        ).concat(figures.unsettledDecisions.filter((d) => d.status !== 'PERMITTED')),
      };
    case 'aurora_deposit':
      return {
        ...figures,
        auroraDeposits: nudge(figures.auroraDeposits, userId, (d) => ({
          ...d,
          amount: d.amount + cent,
        })),
      };
    case 'dynamodb_deposit':
      return {
        ...figures,
        dynamoDbDeposits: nudge(figures.dynamoDbDeposits, userId, (d) => ({
          ...d,
          amount: d.amount + cent,
        })),
      };
  }
};

describe('reconcile, properties', () => {
  it('finds no difference in a consistent ledger', () => {
    fc.assert(
      fc.property(ledgers, (ledger) => {
        // Act
        const report = reconcile(inputOf(figuresOf(ledger)), rules);

        // Assess
        expect(report.differences).toEqual([]);
        expect([report.users_checked, report.drift_amount, report.drifted_users]).toEqual([
          ledger.length,
          0,
          0,
        ]);
      }),
    );
  });

  it('finds exactly the one rule a figure moved by one cent breaks, for that user only', () => {
    fc.assert(
      fc.property(
        ledgers,
        fc.nat(),
        fc.nat(),
        fc.constantFrom<1 | -1>(1, -1),
        (ledger, userPick, figurePick, cent) => {
          // Prepare
          const user = ledger[userPick % ledger.length];
          if (user === undefined) throw new Error('ledgers are never empty');
          const choices = applicable(user);
          const perturbation = choices[figurePick % choices.length] ?? 'balance';
          const figures = perturb(figuresOf(ledger), user.id, perturbation, cent);

          // Act
          const report = reconcile(inputOf(figures), rules);

          // Assess
          const kinds = expectedKinds(perturbation, user);
          expect(report.differences.map((d) => [d.kind, d.user_id, Math.abs(d.delta)])).toEqual(
            kinds.map((kind) => [kind, user.id, 1]),
          );
          expect([report.drifted_users, report.drift_amount]).toEqual([1, kinds.length]);
        },
      ),
    );
  });
});
