import { describe, expect, it } from 'vitest';
import {
  holdOperationKindSchema,
  holdStatuses,
  type BalanceDeltas,
  type HoldOperation,
  type HoldOperationKind,
  type HoldRefusalCode,
  type HoldState,
  type HoldStatus,
} from '../contracts/lifecycle.js';
import { heldAmount, holdStatus } from './hold-figures.js';
import { activeAccount, manualHold } from './test-fixtures.js';
import { legalOperations, transition, type TransitionContext } from './transitions.js';

const BEFORE_EXPIRY = new Date('2026-03-02T12:00:00.000Z');
const AFTER_EXPIRY = new Date('2026-03-08T12:00:00.000Z');

const account = activeAccount();
const hold = manualHold;

/** One hold per state; `captured (after expiry)` is the captured state its expiry closed. */
const holds: Record<HoldStatus | 'captured (after expiry)', HoldState> = {
  authorized: hold(),
  partially_captured: hold({ captured: 4_000 }),
  captured: hold({ captured: 10_000, closed_by: 'capture' }),
  'captured (after expiry)': hold({ captured: 4_000, released: 6_000, closed_by: 'expiry' }),
  voided: hold({ released: 10_000, closed_by: 'void' }),
  expired: hold({ released: 10_000, closed_by: 'expiry' }),
  partially_refunded: hold({ captured: 10_000, refunded: 3_000, closed_by: 'capture' }),
  refunded: hold({ captured: 10_000, refunded: 10_000, closed_by: 'capture' }),
  rejected: hold({ decision: 'REJECTED', amount: 0, hold_expires_at: null }),
};

/** The operation each column tries: legal-looking bodies, so only the state decides. */
const operations: Record<HoldOperationKind, HoldOperation> = {
  capture: { kind: 'capture', capture_id: 'cap-1', amount: 1_000 },
  void: { kind: 'void', void_id: 'void-1' },
  increment: { kind: 'increment', increment_id: 'inc-1', amount: 1_000 },
  refund: { kind: 'refund', refund_id: 'ref-1', amount: 1_000 },
  expire: { kind: 'expire' },
};

/** expire is tried after hold_expires_at (its one precondition); everything else before it. */
const contextFor = (kind: HoldOperationKind): TransitionContext => ({
  now: kind === 'expire' ? AFTER_EXPIRY : BEFORE_EXPIRY,
  account,
});

type Expected =
  | { readonly refused: HoldRefusalCode }
  | {
      readonly status: 'APPLIED' | 'PERMITTED';
      readonly after: HoldStatus;
      readonly held: number;
      readonly deltas: BalanceDeltas;
    };

const refused = (code: HoldRefusalCode): Expected => ({ refused: code });
const applied = (
  after: HoldStatus,
  held: number,
  deltas: BalanceDeltas,
  status: 'APPLIED' | 'PERMITTED' = 'APPLIED',
): Expected => ({ status, after, held, deltas });
const d = (available: number, pending: number, posted: number): BalanceDeltas => ({
  available,
  pending,
  posted,
});

/** Every (state, operation) pair, the illegal ones included. */
const table: Record<keyof typeof holds, Record<HoldOperationKind, Expected>> = {
  authorized: {
    capture: applied('partially_captured', 9_000, d(0, -1_000, 1_000)),
    void: applied('voided', 0, d(10_000, -10_000, 0)),
    increment: applied('authorized', 11_000, d(-1_000, 1_000, 0), 'PERMITTED'),
    refund: refused('INVALID_STATE'),
    expire: applied('expired', 0, d(10_000, -10_000, 0)),
  },
  partially_captured: {
    capture: applied('partially_captured', 5_000, d(0, -1_000, 1_000)),
    void: applied('captured', 0, d(6_000, -6_000, 0)),
    increment: applied('partially_captured', 7_000, d(-1_000, 1_000, 0), 'PERMITTED'),
    refund: applied('partially_captured', 6_000, d(1_000, 0, -1_000)),
    expire: applied('captured', 0, d(6_000, -6_000, 0)),
  },
  captured: {
    capture: refused('INVALID_STATE'),
    void: refused('INVALID_STATE'),
    increment: refused('INVALID_STATE'),
    refund: applied('partially_refunded', 0, d(1_000, 0, -1_000)),
    expire: refused('INVALID_STATE'),
  },
  'captured (after expiry)': {
    capture: refused('HOLD_EXPIRED'),
    void: refused('HOLD_EXPIRED'),
    increment: refused('HOLD_EXPIRED'),
    refund: applied('partially_refunded', 0, d(1_000, 0, -1_000)),
    expire: refused('INVALID_STATE'),
  },
  voided: {
    capture: refused('INVALID_STATE'),
    void: refused('INVALID_STATE'),
    increment: refused('INVALID_STATE'),
    refund: refused('INVALID_STATE'),
    expire: refused('INVALID_STATE'),
  },
  expired: {
    capture: refused('HOLD_EXPIRED'),
    void: refused('HOLD_EXPIRED'),
    increment: refused('HOLD_EXPIRED'),
    refund: refused('INVALID_STATE'),
    expire: refused('INVALID_STATE'),
  },
  partially_refunded: {
    capture: refused('INVALID_STATE'),
    void: refused('INVALID_STATE'),
    increment: refused('INVALID_STATE'),
    refund: applied('partially_refunded', 0, d(1_000, 0, -1_000)),
    expire: refused('INVALID_STATE'),
  },
  refunded: {
    capture: refused('INVALID_STATE'),
    void: refused('INVALID_STATE'),
    increment: refused('INVALID_STATE'),
    refund: refused('INVALID_STATE'),
    expire: refused('INVALID_STATE'),
  },
  rejected: {
    capture: refused('INVALID_STATE'),
    void: refused('INVALID_STATE'),
    increment: refused('INVALID_STATE'),
    refund: refused('INVALID_STATE'),
    expire: refused('INVALID_STATE'),
  },
};

const pairs = Object.entries(table).flatMap(([state, row]) =>
  Object.entries(row).map(([kind, expected]) => ({
    state: state as keyof typeof holds,
    kind: kind as HoldOperationKind,
    expected,
  })),
);

describe('the hold state machine, every (state, operation) pair', () => {
  it('has a fixture in each state and a table row for every state and operation', () => {
    // Assess
    for (const [state, fixture] of Object.entries(holds))
      expect(holdStatus(fixture)).toBe(state.replace(' (after expiry)', ''));
    expect(new Set(Object.values(holds).map(holdStatus))).toEqual(new Set(holdStatuses));
    expect(pairs).toHaveLength(Object.keys(holds).length * holdOperationKindSchema.options.length);
  });

  it.each(pairs)('$state + $kind', ({ state, kind, expected }) => {
    // Prepare
    const before = holds[state];

    // Act
    const outcome = transition(before, operations[kind], contextFor(kind));

    // Assess
    if ('refused' in expected) {
      expect(outcome).toMatchObject({
        ok: false,
        error: { code: expected.refused, status: holdStatus(before) },
      });
      return;
    }
    if (!outcome.ok) throw new Error(`refused: ${outcome.error.code}`);
    const { hold: after, deltas, result } = outcome.value;
    expect({
      status: result.status,
      after: holdStatus(after),
      held: heldAmount(after),
      deltas,
    }).toEqual(expected);
    expect(result).toMatchObject({
      transaction_id: 'tx-1',
      operation: kind,
      hold_status: holdStatus(after),
      held: heldAmount(after),
    });
    // Money is conserved between the account's figures, and the hold's own figures agree.
    expect(deltas.available + deltas.pending + deltas.posted).toBe(0);
    expect(heldAmount(after) - heldAmount(before)).toBe(deltas.pending);
    expect(after.captured - after.refunded - (before.captured - before.refunded)).toBe(
      deltas.posted,
    );
  });

  it('agrees with legalOperations: a pair is refused exactly when the state does not admit it', () => {
    for (const { state, kind, expected } of pairs) {
      expect([state, kind, 'refused' in expected]).toEqual([
        state,
        kind,
        !legalOperations[holdStatus(holds[state])].includes(kind),
      ]);
    }
  });
});
