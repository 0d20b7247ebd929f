import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BalanceDeltas, CaptureMethod } from '../contracts/lifecycle.js';
import type {
  AuroraHoldBooks,
  AuroraUserFigures,
  CacheItemFigures,
  UnsettledDecision,
  UnsettledHoldOperation,
} from './inputs.js';
import { reconcile } from './reconciler.js';
import type { DifferenceKind } from './report.js';

/**
 * One user's history as the events that move money: permits (manual or automatic) and lifecycle
 * steps, each either settled into Aurora or still only in DynamoDB. The two stores' figures are
 * derived from the same events the way each store keeps them: the account item applies every
 * event's deltas; Aurora sums the settled ones into its tables; the unsettled ones are what the
 * TransactionLog lists. Invariant 5 must then hold, and any one figure moved by a cent must
 * show as exactly the kinds that figure feeds.
 */

type Step =
  | { readonly kind: 'permit'; readonly amount: number; readonly method: CaptureMethod }
  | { readonly kind: 'capture'; readonly amount: number; readonly released: number }
  | { readonly kind: 'release'; readonly amount: number }
  | { readonly kind: 'increment'; readonly amount: number }
  | { readonly kind: 'refund'; readonly amount: number };

const cents = fc.integer({ min: 1, max: 5_000 });
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('permit' as const),
    amount: cents,
    method: fc.constantFrom<CaptureMethod>('manual', 'automatic'),
  }),
  fc.record({
    kind: fc.constant('capture' as const),
    amount: cents,
    released: fc.nat({ max: 2_000 }),
  }),
  fc.record({ kind: fc.constant('release' as const), amount: cents }),
  fc.record({ kind: fc.constant('increment' as const), amount: cents }),
  fc.record({ kind: fc.constant('refund' as const), amount: cents }),
);
const history = fc.record({
  credited: fc.integer({ min: 0, max: 1_000_000 }),
  steps: fc.array(fc.record({ step, settled: fc.boolean() }), { maxLength: 12 }),
});
type History = typeof history extends fc.Arbitrary<infer T> ? T : never;

const deltasOf = (s: Step): BalanceDeltas => {
  switch (s.kind) {
    case 'permit':
      return s.method === 'manual'
        ? { available: -s.amount, pending: s.amount, posted: 0 }
        : { available: -s.amount, pending: 0, posted: s.amount };
    case 'capture':
      return { available: s.released, pending: -(s.amount + s.released), posted: s.amount };
    case 'release':
      return { available: s.amount, pending: -s.amount, posted: 0 };
    case 'increment':
      return { available: -s.amount, pending: s.amount, posted: 0 };
    case 'refund':
      return { available: s.amount, pending: 0, posted: -s.amount };
  }
};

const RECENT = '2026-03-02T01:59:00.000Z';
const rules = { now: new Date('2026-03-02T02:00:00.000Z'), unsettledAfterMs: 15 * 60_000 };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
interface Stores {
  aurora: Mutable<AuroraUserFigures>;
  holds: Mutable<AuroraHoldBooks>;
  item: Mutable<Required<CacheItemFigures>>;
  decisions: UnsettledDecision[];
  operations: UnsettledHoldOperation[];
}

const storesOf = ({ credited, steps }: History): Stores => {
  const item = { user_id: 'u', credited, posted: 0, pending: 0, available: credited };
  const aurora = {
    user_id: 'u',
    deposits_total: credited,
    permitted_total: 0,
    balance: credited as number | null,
  };
  const holds = { user_id: 'u', pending: 0, increments: 0, released: 0, refunded: 0 };
  const decisions: UnsettledDecision[] = [];
  const operations: UnsettledHoldOperation[] = [];
  steps.forEach(({ step: s, settled }, n) => {
    const d = deltasOf(s);
    item.available += d.available;
    item.pending += d.pending;
    item.posted += d.posted;
    if (!settled) {
      if (s.kind === 'permit')
        decisions.push({
          transaction_id: `t${n}`,
          user_id: 'u',
          status: 'PERMITTED',
          amount: s.amount,
          decided_at: RECENT,
          capture_method: s.method,
        });
      else
        operations.push({
          transaction_id: `t${n}`,
          user_id: 'u',
          operation: s.kind === 'release' ? 'void' : s.kind,
          operation_id: `o${n}`,
          deltas: d,
          occurred_at: RECENT,
        });
      return;
    }
    aurora.balance = (aurora.balance ?? 0) + d.available;
    holds.pending += d.pending;
    if (s.kind === 'permit') aurora.permitted_total += s.amount;
    if (s.kind === 'increment') holds.increments += s.amount;
    if (s.kind === 'release') holds.released += s.amount;
    if (s.kind === 'capture') holds.released += s.released;
    if (s.kind === 'refund') holds.refunded += s.amount;
  });
  return { aurora, holds, item, decisions, operations };
};

const run = (stores: Stores) =>
  reconcile(
    {
      auroraUsers: [stores.aurora],
      auroraHoldBooks: [stores.holds],
      cacheItems: [stores.item],
      unsettledDecisions: stores.decisions,
      unsettledOperations: stores.operations,
      dynamoDbDeposits: [],
      auroraDeposits: [],
      deadLetteredCallbacks: [],
    },
    rules,
  );

/** Each figure one store keeps, and the kinds a cent more of it must raise. */
const perturbations: Record<
  string,
  { readonly move: (s: Stores) => void; readonly kinds: DifferenceKind[] }
> = {
  'item credited': {
    move: (s) => void (s.item.credited += 1),
    kinds: ['ACCOUNT_FIGURES_BROKEN', 'CREDITED_MISMATCH'],
  },
  'item posted': {
    move: (s) => void (s.item.posted += 1),
    kinds: ['ACCOUNT_FIGURES_BROKEN', 'POSTED_MISMATCH'],
  },
  'item pending': {
    move: (s) => void (s.item.pending += 1),
    kinds: ['ACCOUNT_FIGURES_BROKEN', 'PENDING_MISMATCH'],
  },
  'item available': {
    move: (s) => void (s.item.available += 1),
    kinds: ['CACHE_MISMATCH', 'ACCOUNT_FIGURES_BROKEN'],
  },
  'Aurora deposits': {
    move: (s) => void (s.aurora.deposits_total += 1),
    kinds: ['BALANCE_MISMATCH', 'CREDITED_MISMATCH'],
  },
  'Aurora permitted': {
    move: (s) => void (s.aurora.permitted_total += 1),
    kinds: ['BALANCE_MISMATCH', 'POSTED_MISMATCH'],
  },
  'Aurora balance': {
    move: (s) => void (s.aurora.balance = (s.aurora.balance ?? 0) + 1),
    kinds: ['BALANCE_MISMATCH', 'CACHE_MISMATCH'],
  },
  'Aurora pending': {
    move: (s) => void (s.holds.pending += 1),
    kinds: ['POSTED_MISMATCH', 'PENDING_MISMATCH'],
  },
  'Aurora increments': {
    move: (s) => void (s.holds.increments += 1),
    kinds: ['BALANCE_MISMATCH', 'POSTED_MISMATCH'],
  },
  'Aurora released': {
    move: (s) => void (s.holds.released += 1),
    kinds: ['BALANCE_MISMATCH', 'POSTED_MISMATCH'],
  },
  'Aurora refunded': {
    move: (s) => void (s.holds.refunded += 1),
    kinds: ['BALANCE_MISMATCH', 'POSTED_MISMATCH'],
  },
};

describe('reconciliation of credited, posted, pending and available', () => {
  it('finds nothing when both stores hold the same history, whatever is still unsettled', () => {
    fc.assert(
      fc.property(history, (h) => {
        // Act
        const report = run(storesOf(h));

        // Assess
        expect(report.differences).toEqual([]);
      }),
    );
  });

  it('finds exactly the kinds a figure moved by one cent feeds, each by one cent', () => {
    fc.assert(
      fc.property(history, fc.constantFrom(...Object.keys(perturbations)), (h, name) => {
        // Prepare
        const stores = storesOf(h);
        const perturbation = perturbations[name];
        if (perturbation === undefined) throw new Error(name);
        perturbation.move(stores);

        // Act
        const report = run(stores);

        // Assess
        expect(report.differences.map((d) => [d.kind, Math.abs(d.delta)]).sort()).toEqual(
          perturbation.kinds.map((kind) => [kind, 1]).sort(),
        );
        expect(report.drifted_users).toBe(1);
      }),
    );
  });
});
