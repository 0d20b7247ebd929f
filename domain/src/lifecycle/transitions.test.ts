import { describe, expect, it } from 'vitest';
import type { CreditAccount } from '../contracts/account.js';
import type { HoldOperation } from '../contracts/lifecycle.js';
import { heldAmount, holdStatus } from './hold-figures.js';
import { activeAccount, HOLD_EXPIRES_AT, manualHold } from './test-fixtures.js';
import { operationId, transition, type Transition, type TransitionContext } from './transitions.js';

const EXPIRES_AT = HOLD_EXPIRES_AT;
const before = new Date('2026-03-02T12:00:00.000Z');
const atExpiry = new Date(EXPIRES_AT);
const justBefore = new Date(Date.parse(EXPIRES_AT) - 1);

const account = activeAccount;
const hold = manualHold;

const at = (now: Date, acct: CreditAccount | null = account()): TransitionContext => ({
  now,
  account: acct,
});

const applied = (outcome: Transition) => {
  if (!outcome.ok) throw new Error(`refused ${outcome.error.code}: ${outcome.error.message}`);
  return outcome.value;
};
const refusal = (outcome: Transition) =>
  outcome.ok ? `applied ${outcome.value.result.status}` : outcome.error.code;

const capture = (
  fields: Omit<Extract<HoldOperation, { kind: 'capture' }>, 'kind' | 'capture_id'> = {},
): HoldOperation => ({ kind: 'capture', capture_id: 'cap-1', ...fields });

describe('capture', () => {
  it('captures everything held when no amount is given, closing the hold', () => {
    // Act
    const {
      hold: after,
      deltas,
      result,
    } = applied(transition(hold({ captured: 2_500 }), capture(), at(before)));

    // Assess
    expect([holdStatus(after), after.captured, after.closed_by, heldAmount(after)]).toEqual([
      'captured',
      10_000,
      'capture',
      0,
    ]);
    expect(deltas).toEqual({ available: 0, pending: -7_500, posted: 7_500 });
    expect(result).toEqual({
      transaction_id: 'tx-1',
      operation: 'capture',
      operation_id: 'cap-1',
      status: 'APPLIED',
      reason: null,
      amount: 7_500,
      released: 0,
      hold_status: 'captured',
      held: 0,
      captured: 10_000,
      refunded: 0,
      occurred_at: before.toISOString(),
    });
  });

  it('captures part and keeps the rest held, several times, until a capture takes the rest', () => {
    // Act
    const first = applied(transition(hold(), capture({ amount: 3_000 }), at(before)));
    const second = applied(transition(first.hold, capture({ amount: 3_000 }), at(before)));
    const last = applied(transition(second.hold, capture({ amount: 4_000 }), at(before)));

    // Assess
    expect([first, second, last].map((s) => [holdStatus(s.hold), heldAmount(s.hold)])).toEqual([
      ['partially_captured', 7_000],
      ['partially_captured', 4_000],
      ['captured', 0],
    ]);
    expect(last.hold.closed_by).toBe('capture');
  });

  it('with final: true releases what stays held back to available', () => {
    // Act
    const {
      hold: after,
      deltas,
      result,
    } = applied(transition(hold(), capture({ amount: 6_000, final: true }), at(before)));

    // Assess
    expect([holdStatus(after), after.captured, after.released]).toEqual(['captured', 6_000, 4_000]);
    expect(deltas).toEqual({ available: 4_000, pending: -10_000, posted: 6_000 });
    expect([result.amount, result.released]).toEqual([6_000, 4_000]);
  });

  it('with final: false and all that is held still closes the hold (nothing is left to hold)', () => {
    const { hold: after } = applied(
      transition(hold(), capture({ amount: 10_000, final: false }), at(before)),
    );
    expect(holdStatus(after)).toBe('captured');
  });

  it.each([
    [
      'more than is held',
      hold({ captured: 4_000 }),
      capture({ amount: 6_001 }),
      before,
      'AMOUNT_EXCEEDS_HOLD',
    ],
    ['zero', hold(), capture({ amount: 0 }), before, 'INVALID_AMOUNT'],
    ['a negative amount', hold(), capture({ amount: -1 }), before, 'INVALID_AMOUNT'],
    ['a fraction of a cent', hold(), capture({ amount: 1.5 }), before, 'INVALID_AMOUNT'],
    [
      'at hold_expires_at, before the expiry ran',
      hold(),
      capture({ amount: 1 }),
      atExpiry,
      'HOLD_EXPIRED',
    ],
    ['everything, after hold_expires_at', hold(), capture(), atExpiry, 'HOLD_EXPIRED'],
    [
      'too much after hold_expires_at: the amount is judged first',
      hold(),
      capture({ amount: 10_001 }),
      atExpiry,
      'AMOUNT_EXCEEDS_HOLD',
    ],
    [
      'on a voided hold, with too much: the state is judged first',
      hold({ released: 10_000, closed_by: 'void' }),
      capture({ amount: 99_999 }),
      before,
      'INVALID_STATE',
    ],
  ])('refuses %s', (_case, h, operation, now, code) => {
    expect(refusal(transition(h, operation, at(now)))).toBe(code);
  });

  it('is still taken the millisecond before hold_expires_at', () => {
    expect(refusal(transition(hold(), capture({ amount: 1 }), at(justBefore)))).toBe(
      'applied APPLIED',
    );
  });
});

describe('void', () => {
  it('releases all that is held, and is still taken after hold_expires_at while the expiry has not run', () => {
    // Act
    const {
      hold: after,
      deltas,
      result,
    } = applied(transition(hold(), { kind: 'void', void_id: 'v-1' }, at(atExpiry)));

    // Assess
    expect([holdStatus(after), after.released, after.closed_by]).toEqual([
      'voided',
      10_000,
      'void',
    ]);
    expect(deltas).toEqual({ available: 10_000, pending: -10_000, posted: 0 });
    expect([result.operation_id, result.amount, result.released]).toEqual(['v-1', 10_000, 10_000]);
  });

  it('on a partly captured hold releases the rest and leaves the captured money posted', () => {
    const { hold: after, deltas } = applied(
      transition(hold({ captured: 2_000 }), { kind: 'void', void_id: 'v-1' }, at(before)),
    );
    expect([holdStatus(after), after.captured, deltas]).toEqual([
      'captured',
      2_000,
      { available: 8_000, pending: -8_000, posted: 0 },
    ]);
  });
});

describe('expire', () => {
  it('releases an open hold at hold_expires_at, named by its transaction', () => {
    // Act
    const {
      hold: after,
      deltas,
      result,
    } = applied(transition(hold(), { kind: 'expire' }, at(atExpiry)));

    // Assess
    expect([holdStatus(after), after.closed_by, deltas.available]).toEqual([
      'expired',
      'expiry',
      10_000,
    ]);
    expect([result.operation, result.operation_id, result.amount]).toEqual([
      'expire',
      'tx-1',
      10_000,
    ]);
  });

  it('refuses before hold_expires_at', () => {
    expect(refusal(transition(hold(), { kind: 'expire' }, at(justBefore)))).toBe(
      'HOLD_NOT_EXPIRED',
    );
  });

  it('refuses an open hold that has no hold_expires_at (a hold stays until told otherwise)', () => {
    expect(
      refusal(transition(hold({ hold_expires_at: null }), { kind: 'expire' }, at(atExpiry))),
    ).toBe('HOLD_NOT_EXPIRED');
  });
});

describe('increment', () => {
  const inc = (amount: number): HoldOperation => ({
    kind: 'increment',
    increment_id: 'inc-1',
    amount,
  });

  it('raises the hold when the account has the credit', () => {
    // Act
    const {
      hold: after,
      deltas,
      result,
    } = applied(transition(hold(), inc(2_500), at(before, account({ available: 2_500 }))));

    // Assess
    expect([after.amount, heldAmount(after), holdStatus(after)]).toEqual([
      12_500,
      12_500,
      'authorized',
    ]);
    expect(deltas).toEqual({ available: -2_500, pending: 2_500, posted: 0 });
    expect([result.status, result.reason, result.amount]).toEqual(['PERMITTED', null, 2_500]);
  });

  it.each([
    ['INSUFFICIENT_FUNDS', account({ available: 500 })],
    ['ACCOUNT_SUSPENDED', account({ status: 'SUSPENDED' })],
    ['CURRENCY_MISMATCH', account({ currency: 'EUR' })],
    ['UNKNOWN_USER', null],
    // The limit bounds the new total: 100.00 held + 5.01 > 105.00.
    ['LIMIT_EXCEEDED', account({ per_transaction_limit: 10_500 })],
  ])('is a REJECT with reason %s, a result that changes nothing', (reason, acct) => {
    // Act
    const { hold: after, deltas, result } = applied(transition(hold(), inc(501), at(before, acct)));

    // Assess
    expect([result.status, result.reason, result.amount]).toEqual(['REJECTED', reason, 501]);
    expect(after).toEqual(hold());
    expect(deltas).toEqual({ available: 0, pending: 0, posted: 0 });
  });

  it('is permitted up to the per-transaction limit on the new total', () => {
    const { result } = applied(
      transition(hold(), inc(500), at(before, account({ per_transaction_limit: 10_500 }))),
    );
    expect(result.status).toBe('PERMITTED');
  });

  it.each([
    ['zero', 0, before, 'INVALID_AMOUNT'],
    ['after hold_expires_at', 100, atExpiry, 'HOLD_EXPIRED'],
  ])('refuses %s', (_case, amount, now, code) => {
    expect(refusal(transition(hold(), inc(amount), at(now)))).toBe(code);
  });
});

describe('refund', () => {
  const ref = (amount: number): HoldOperation => ({ kind: 'refund', refund_id: 'ref-1', amount });
  const captured = hold({ captured: 10_000, closed_by: 'capture' });

  it('gives back captured money in parts, up to everything captured, then refuses', () => {
    // Act
    const part = applied(transition(captured, ref(4_000), at(before)));
    const rest = applied(transition(part.hold, ref(6_000), at(before)));
    const more = transition(rest.hold, ref(1), at(before));

    // Assess
    expect([holdStatus(part.hold), holdStatus(rest.hold)]).toEqual([
      'partially_refunded',
      'refunded',
    ]);
    expect(rest.deltas).toEqual({ available: 6_000, pending: 0, posted: -6_000 });
    expect(refusal(more)).toBe('INVALID_STATE');
  });

  it.each([
    [
      'more than captured and not refunded',
      hold({ captured: 10_000, refunded: 4_000, closed_by: 'capture' }),
      6_001,
      'AMOUNT_EXCEEDS_CAPTURED',
    ],
    [
      'more than captured so far on an open hold',
      hold({ captured: 3_000 }),
      3_001,
      'AMOUNT_EXCEEDS_CAPTURED',
    ],
    ['a negative amount', captured, -5, 'INVALID_AMOUNT'],
    ['on a hold not captured yet', hold(), 1, 'INVALID_STATE'],
  ])('refuses %s', (_case, h, amount, code) => {
    expect(refusal(transition(h, ref(amount), at(before)))).toBe(code);
  });

  it('is taken after hold_expires_at: captured money stays refundable', () => {
    expect(refusal(transition(captured, ref(1), at(new Date('2027-01-01T00:00:00.000Z'))))).toBe(
      'applied APPLIED',
    );
  });
});

describe('refusals', () => {
  it('carry the hold status and a message naming the figures', () => {
    // Act
    const outcome = transition(hold({ captured: 4_000 }), capture({ amount: 7_000 }), at(before));

    // Assess
    expect(outcome).toEqual({
      ok: false,
      error: {
        code: 'AMOUNT_EXCEEDS_HOLD',
        status: 'partially_captured',
        message: 'cannot capture 70.00: 60.00 is held',
      },
    });
  });
});

describe('operationId', () => {
  it.each<[HoldOperation, string]>([
    [{ kind: 'capture', capture_id: 'c' }, 'c'],
    [{ kind: 'void', void_id: 'v' }, 'v'],
    [{ kind: 'increment', increment_id: 'i', amount: 1 }, 'i'],
    [{ kind: 'refund', refund_id: 'r', amount: 1 }, 'r'],
    [{ kind: 'expire' }, 'tx-1'],
  ])('names %o by %s', (operation, id) => {
    expect(operationId(hold(), operation)).toBe(id);
  });
});
