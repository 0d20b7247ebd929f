import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CreditAccount } from '../contracts/account.js';
import type {
  BalanceFigures,
  CaptureMethod,
  HoldOperation,
  HoldState,
} from '../contracts/lifecycle.js';
import { authorizeHold } from './authorize.js';
import { applyDeltas, balanceOf, heldAmount, holdStatus } from './hold-figures.js';
import { executeHoldOperation, operationKey, type StoredHoldOperation } from './idempotency.js';

/**
 * The state machine against a reference model written the plain way (an `open` flag and
 * running totals, no derived status), over random histories of one account: several holds,
 * keys reused with the same and with other bodies, time moving past expiries.
 */

const START = Date.parse('2026-03-01T00:00:00.000Z');
const HOLDS = ['tx-a', 'tx-b', 'tx-c'] as const;
type TxId = (typeof HOLDS)[number];

type Command =
  | {
      readonly op: 'authorize';
      readonly tx: TxId;
      readonly amount: number;
      readonly method: CaptureMethod;
      readonly lifetime: number;
    }
  | {
      readonly op: 'operate';
      readonly tx: TxId;
      readonly operation: HoldOperation;
      /** Replaces the amount by one at an edge of the state it meets (held, refundable, available). */
      readonly edge: Edge | null;
    }
  | { readonly op: 'wait'; readonly ms: number };

interface Edge {
  readonly of: 'held' | 'refundable' | 'available';
  readonly plus: -1 | 0 | 1;
}
const edge: fc.Arbitrary<Edge> = fc.record({
  of: fc.constantFrom('held', 'refundable', 'available'),
  plus: fc.constantFrom(-1, 0, 1),
});
const amount = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 6_000 }) },
  { weight: 3, arbitrary: fc.constantFrom(500, 1_000, 1_500, 2_000, 2_500, 3_000) },
  { weight: 1, arbitrary: fc.constantFrom(0, -1) },
);
const id = fc.constantFrom('k1', 'k2', 'k3');
const tx = fc.constantFrom(...HOLDS);

const operation: fc.Arbitrary<HoldOperation> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('capture' as const),
      capture_id: id,
      amount: fc.option(amount, { nil: undefined }),
      final: fc.option(fc.boolean(), { nil: undefined }),
    },
    { requiredKeys: ['kind', 'capture_id'] },
  ),
  fc.record({ kind: fc.constant('void' as const), void_id: id }),
  fc.record({ kind: fc.constant('increment' as const), increment_id: id, amount }),
  fc.record({ kind: fc.constant('refund' as const), refund_id: id, amount }),
  fc.constant({ kind: 'expire' as const }),
);

const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({
    op: fc.constant('authorize' as const),
    tx,
    amount: fc.integer({ min: 1, max: 8_000 }),
    method: fc.constantFrom<CaptureMethod>('manual', 'manual', 'automatic'),
    lifetime: fc.integer({ min: 1_000, max: 60_000 }),
  }),
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('operate' as const),
      tx,
      operation,
      edge: fc.option(edge, { freq: 2 }),
    }),
  },
  fc.record({ op: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 30_000 }) }),
);

// --- the reference model ---------------------------------------------------------------------

interface ModelHold {
  permitted: boolean;
  open: boolean;
  closedBy: 'capture' | 'void' | 'expiry' | null;
  authorized: number;
  held: number;
  captured: number;
  refunded: number;
  expiresAt: number | null;
}

interface Model {
  credited: number;
  posted: number;
  pending: number;
  holds: Map<TxId, ModelHold>;
  /** tx#key -> the body that used it, when it took effect. */
  keys: Map<string, string>;
}

type Outcome = 'applied' | 'rejected' | 'replay' | 'conflict' | `refused ${string}`;

const modelKey = (operation: HoldOperation): [string, string] => {
  const { kind, ...body } = operation;
  const keyId =
    'capture_id' in body
      ? body.capture_id
      : 'void_id' in body
        ? body.void_id
        : 'increment_id' in body
          ? body.increment_id
          : 'refund_id' in body
            ? body.refund_id
            : '';
  const canonical = JSON.stringify(
    Object.entries(body as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return [`${kind}:${keyId}`, canonical];
};

const modelOperate = (model: Model, txId: TxId, operation: HoldOperation, now: number): Outcome => {
  const h = model.holds.get(txId);
  if (h === undefined) throw new Error('only authorized holds are operated on');
  const [key, body] = modelKey(operation);
  const used = model.keys.get(`${txId}#${key}`);
  if (used !== undefined) return used === body ? 'replay' : 'conflict';
  const record = (): void => void model.keys.set(`${txId}#${key}`, body);
  const closedRefusal = (): Outcome =>
    h.closedBy === 'expiry' ? 'refused HOLD_EXPIRED' : 'refused INVALID_STATE';
  const expiredByClock = h.expiresAt !== null && now >= h.expiresAt;
  const releaseAll = (by: 'void' | 'expiry'): Outcome => {
    model.pending -= h.held;
    h.held = 0;
    h.open = false;
    h.closedBy = by;
    record();
    return 'applied';
  };
  switch (operation.kind) {
    case 'capture': {
      if (!h.permitted || !h.open) return h.permitted ? closedRefusal() : 'refused INVALID_STATE';
      const amt = operation.amount ?? h.held;
      if (amt <= 0) return 'refused INVALID_AMOUNT';
      if (amt > h.held) return 'refused AMOUNT_EXCEEDS_HOLD';
      if (expiredByClock) return 'refused HOLD_EXPIRED';
      h.captured += amt;
      h.held -= amt;
      model.pending -= amt;
      model.posted += amt;
      if (operation.final === true || h.held === 0) {
        model.pending -= h.held;
        h.held = 0;
        h.open = false;
        h.closedBy = 'capture';
      }
      record();
      return 'applied';
    }
    case 'void':
      if (!h.permitted || !h.open) return h.permitted ? closedRefusal() : 'refused INVALID_STATE';
      return releaseAll('void');
    case 'expire':
      if (!h.permitted || !h.open) return 'refused INVALID_STATE';
      if (!expiredByClock) return 'refused HOLD_NOT_EXPIRED';
      return releaseAll('expiry');
    case 'increment': {
      if (!h.permitted || !h.open) return h.permitted ? closedRefusal() : 'refused INVALID_STATE';
      if (operation.amount <= 0) return 'refused INVALID_AMOUNT';
      if (expiredByClock) return 'refused HOLD_EXPIRED';
      record();
      if (operation.amount > model.credited - model.posted - model.pending) return 'rejected';
      h.authorized += operation.amount;
      h.held += operation.amount;
      model.pending += operation.amount;
      return 'applied';
    }
    case 'refund': {
      const fullyRefundedAndClosed = !h.open && h.refunded === h.captured;
      if (!h.permitted || h.captured === 0 || fullyRefundedAndClosed)
        return 'refused INVALID_STATE';
      if (operation.amount <= 0) return 'refused INVALID_AMOUNT';
      if (operation.amount > h.captured - h.refunded) return 'refused AMOUNT_EXCEEDS_CAPTURED';
      h.refunded += operation.amount;
      model.posted -= operation.amount;
      record();
      return 'applied';
    }
  }
};

const atEdge = (
  model: Model,
  txId: TxId,
  operation: HoldOperation,
  at: Edge | null,
): HoldOperation => {
  const h = model.holds.get(txId);
  if (at === null || h === undefined || !('amount' in operation)) return operation;
  const base = {
    held: h.held,
    refundable: h.captured - h.refunded,
    available: model.credited - model.posted - model.pending,
  }[at.of];
  return { ...operation, amount: base + at.plus };
};

// --- the implementation, driven the way a use-case would ---------------------------------------

interface System {
  balance: BalanceFigures;
  holds: Map<TxId, HoldState>;
  stored: Map<string, StoredHoldOperation>;
  effects: Map<string, number>;
}

const accountOf = (balance: BalanceFigures): CreditAccount => ({
  user_id: 'alice',
  available: balance.available,
  pending: balance.pending,
  version: 0,
  status: 'ACTIVE',
  currency: 'USD',
  per_transaction_limit: null,
});

const systemOperate = (
  system: System,
  txId: TxId,
  operation: HoldOperation,
  now: Date,
): Outcome => {
  const hold = system.holds.get(txId);
  if (hold === undefined) throw new Error('only authorized holds are operated on');
  const execution = executeHoldOperation(
    hold,
    operation,
    system.stored.get(`${txId}#${operationKey(operation)}`) ?? null,
    { now, account: accountOf(system.balance) },
  );
  switch (execution.kind) {
    case 'replay':
      return 'replay';
    case 'conflict':
      return 'conflict';
    case 'refused':
      return `refused ${execution.refusal.code}`;
    case 'applied': {
      const storeKey = `${txId}#${execution.key}`;
      system.stored.set(storeKey, {
        fingerprint: execution.fingerprint,
        result: execution.step.result,
      });
      system.effects.set(storeKey, (system.effects.get(storeKey) ?? 0) + 1);
      system.holds.set(txId, execution.step.hold);
      system.balance = applyDeltas(system.balance, execution.step.deltas);
      return execution.step.result.status === 'REJECTED' ? 'rejected' : 'applied';
    }
  }
};
describe('the hold lifecycle against a reference model', () => {
  it('agrees on every outcome and every figure, and never breaks an invariant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20_000 }),
        fc.array(command, { minLength: 1, maxLength: 60 }),
        (credited, commands) => {
          // Prepare
          const model: Model = {
            credited,
            posted: 0,
            pending: 0,
            holds: new Map(),
            keys: new Map(),
          };
          const system: System = {
            balance: balanceOf({ credited, posted: 0, pending: 0 }),
            holds: new Map(),
            stored: new Map(),
            effects: new Map(),
          };
          let clock = START;

          for (const c of commands) {
            // Act
            if (c.op === 'wait') {
              clock += c.ms;
              continue;
            }
            const now = new Date(clock);
            if (c.op === 'authorize') {
              if (system.holds.has(c.tx)) continue;
              const available = model.credited - model.posted - model.pending;
              const permitted = c.amount <= available;
              model.holds.set(c.tx, {
                permitted,
                open: permitted && c.method === 'manual',
                closedBy: permitted && c.method === 'automatic' ? 'capture' : null,
                authorized: permitted ? c.amount : 0,
                held: permitted && c.method === 'manual' ? c.amount : 0,
                captured: permitted && c.method === 'automatic' ? c.amount : 0,
                refunded: 0,
                expiresAt: permitted && c.method === 'manual' ? clock + c.lifetime : null,
              });
              if (permitted) {
                if (c.method === 'manual') model.pending += c.amount;
                else model.posted += c.amount;
              }
              const authorization = authorizeHold(
                {
                  partner_id: 'demo',
                  transaction_id: c.tx,
                  user_id: 'alice',
                  amount: c.amount,
                  capture_method: c.method,
                  hold_expires_at: new Date(clock + c.lifetime).toISOString(),
                },
                accountOf(system.balance),
                now,
              );
              system.holds.set(c.tx, authorization.hold);
              system.balance = applyDeltas(system.balance, authorization.deltas);
              expect(authorization.decision.status === 'PERMITTED').toBe(permitted);
            } else {
              if (!system.holds.has(c.tx)) continue;
              const op = atEdge(model, c.tx, c.operation, c.edge);
              const expected = modelOperate(model, c.tx, op, clock);
              const actual = systemOperate(system, c.tx, op, now);
              expect([c.tx, op, actual]).toEqual([c.tx, op, expected]);
            }

            // Assess: the figures agree and the invariants hold after every step.
            expect(system.balance).toEqual(
              balanceOf({ credited: model.credited, posted: model.posted, pending: model.pending }),
            );
            expect(system.balance.available).toBeGreaterThanOrEqual(0);
            let pending = 0;
            let posted = 0;
            for (const [txId, hold] of system.holds) {
              const m = model.holds.get(txId);
              expect([heldAmount(hold), hold.captured, hold.refunded, hold.amount]).toEqual([
                m?.held,
                m?.captured,
                m?.refunded,
                m?.authorized,
              ]);
              expect(hold.captured).toBeLessThanOrEqual(hold.amount);
              expect(hold.refunded).toBeLessThanOrEqual(hold.captured);
              expect(hold.captured + hold.released).toBeLessThanOrEqual(hold.amount);
              expect(['authorized', 'partially_captured'].includes(holdStatus(hold))).toBe(m?.open);
              pending += heldAmount(hold);
              posted += hold.captured - hold.refunded;
            }
            expect([system.balance.pending, system.balance.posted]).toEqual([pending, posted]);
          }
          // Each key took effect at most once.
          for (const count of system.effects.values()) expect(count).toBe(1);
        },
      ),
      { numRuns: 400 },
    );
  });
});
