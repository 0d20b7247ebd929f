import { decide } from '../authorization.js';
import type { CreditAccount } from '../contracts/account.js';
import type {
  BalanceDeltas,
  HoldState,
  HoldOperation,
  HoldOperationKind,
  HoldOperationResult,
  HoldRefusal,
  HoldRefusalCode,
  HoldStatus,
} from '../contracts/lifecycle.js';
import { formatMoney, type Cents } from '../money.js';
import { err, ok, type Result } from '../result.js';
import { heldAmount, holdStatus, noDeltas, postedAmount } from './hold-figures.js';

/**
 * The hold's state machine. Every transition is a pure function of the hold, the operation and
 * its context, returning the hold after it, how the account's figures move, and the result that
 * is stored under the operation's key; or a refusal with the first reason, in the precedence
 * order of `holdRefusalCodes`, that applies. Refusals change nothing.
 */

/** Which operations each state admits. Everything else is refused at the state step. */
export const legalOperations: Readonly<Record<HoldStatus, readonly HoldOperationKind[]>> = {
  authorized: ['capture', 'void', 'increment', 'expire'],
  // A refund may give back what was captured while the rest is still held.
  partially_captured: ['capture', 'void', 'increment', 'refund', 'expire'],
  captured: ['refund'],
  voided: [],
  expired: [],
  partially_refunded: ['refund'],
  refunded: [],
  rejected: [],
};

export interface TransitionContext {
  /** The operation's time: expiry is judged against it. */
  readonly now: Date;
  /**
   * The account as last read (or as the refused commit found it). Only an increment decides
   * against it, exactly like an authorization; null means no account (UNKNOWN_USER).
   */
  readonly account: CreditAccount | null;
}

export interface HoldStep {
  /** The hold after the operation. */
  readonly hold: HoldState;
  /** How the operation moves the account (the commit applies exactly these). */
  readonly deltas: BalanceDeltas;
  /** What is stored under the operation's key, replayed to retries and published. */
  readonly result: HoldOperationResult;
}

export type Transition = Result<HoldStep, HoldRefusal>;

const refuse = (hold: HoldState, code: HoldRefusalCode, message: string): Transition =>
  err({ code, message, status: holdStatus(hold) });

/** The id the operation carries; an expiry is one per hold, named by the transaction. */
export const operationId = (hold: HoldState, operation: HoldOperation): string => {
  switch (operation.kind) {
    case 'capture':
      return operation.capture_id;
    case 'void':
      return operation.void_id;
    case 'increment':
      return operation.increment_id;
    case 'refund':
      return operation.refund_id;
    case 'expire':
      return hold.transaction_id;
  }
};

const step = (
  before: HoldState,
  after: HoldState,
  operation: HoldOperation,
  outcome: {
    status: HoldOperationResult['status'];
    reason?: HoldOperationResult['reason'];
    amount: Cents;
    released: Cents;
    deltas: BalanceDeltas;
  },
  now: Date,
): Transition =>
  ok({
    hold: after,
    deltas: outcome.deltas,
    result: {
      transaction_id: before.transaction_id,
      operation: operation.kind,
      operation_id: operationId(before, operation),
      status: outcome.status,
      reason: outcome.reason ?? null,
      amount: outcome.amount,
      released: outcome.released,
      hold_status: holdStatus(after),
      held: heldAmount(after),
      captured: after.captured,
      refunded: after.refunded,
      occurred_at: now.toISOString(),
    },
  });

/** The state step: INVALID_STATE, or HOLD_EXPIRED when it was the expiry that closed the hold. */
const stateRefusal = (hold: HoldState, kind: HoldOperationKind): Transition | null => {
  const status = holdStatus(hold);
  if (legalOperations[status].includes(kind)) return null;
  if (hold.closed_by === 'expiry' && kind !== 'refund' && kind !== 'expire')
    return refuse(
      hold,
      'HOLD_EXPIRED',
      `the hold expired (hold_expires_at ${String(hold.hold_expires_at)}) and was released`,
    );
  return refuse(hold, 'INVALID_STATE', `cannot ${kind} a hold that is ${status}`);
};

const isPositiveCents = (amount: Cents): boolean => Number.isSafeInteger(amount) && amount > 0;

const invalidAmount = (hold: HoldState, amount: Cents): Transition =>
  refuse(hold, 'INVALID_AMOUNT', `amount must be a positive number of cents, not ${amount}`);

/**
 * The hold_expires_at that has come by `now`, or null. Past it a hold takes no capture or
 * increment, even before its expiry has run (the expiry may lag; the rule may not).
 */
const expiredAt = (hold: HoldState, now: Date): string | null =>
  hold.hold_expires_at !== null && now.getTime() >= Date.parse(hold.hold_expires_at)
    ? hold.hold_expires_at
    : null;

const pastExpiry = (hold: HoldState, at: string): Transition =>
  refuse(hold, 'HOLD_EXPIRED', `the hold expired at ${at}`);

export const capture = (
  hold: HoldState,
  operation: Extract<HoldOperation, { kind: 'capture' }>,
  { now }: TransitionContext,
): Transition => {
  const refused = stateRefusal(hold, 'capture');
  if (refused) return refused;
  const held = heldAmount(hold);
  const amount = operation.amount ?? held;
  if (!isPositiveCents(amount)) return invalidAmount(hold, amount);
  if (amount > held)
    return refuse(
      hold,
      'AMOUNT_EXCEEDS_HOLD',
      `cannot capture ${formatMoney(amount)}: ${formatMoney(held)} is held`,
    );
  const expired = expiredAt(hold, now);
  if (expired !== null) return pastExpiry(hold, expired);
  // A final capture, or one of everything held, releases the rest and closes the hold.
  const closes = operation.final === true || amount === held;
  const released = closes ? held - amount : 0;
  const after: HoldState = {
    ...hold,
    captured: hold.captured + amount,
    released: hold.released + released,
    closed_by: closes ? 'capture' : null,
  };
  return step(
    hold,
    after,
    operation,
    {
      status: 'APPLIED',
      amount,
      released,
      deltas: { pending: -(amount + released), posted: amount, available: released },
    },
    now,
  );
};

/** Void and expiry both give back all that is held and close the hold. */
const release = (
  hold: HoldState,
  operation: Extract<HoldOperation, { kind: 'void' | 'expire' }>,
  now: Date,
): Transition => {
  const held = heldAmount(hold);
  const after: HoldState = {
    ...hold,
    released: hold.released + held,
    closed_by: operation.kind === 'void' ? 'void' : 'expiry',
  };
  return step(
    hold,
    after,
    operation,
    {
      status: 'APPLIED',
      amount: held,
      released: held,
      deltas: { pending: -held, posted: 0, available: held },
    },
    now,
  );
};

/**
 * Releases what is held. After hold_expires_at but before the expiry committed, a void still
 * wins: it gives back exactly what the expiry would, so nothing rides on which of them is first.
 */
export const voidHold = (
  hold: HoldState,
  operation: Extract<HoldOperation, { kind: 'void' }>,
  { now }: TransitionContext,
): Transition => stateRefusal(hold, 'void') ?? release(hold, operation, now);

/** Releases an open hold once its hold_expires_at has come. */
export const expire = (
  hold: HoldState,
  operation: Extract<HoldOperation, { kind: 'expire' }>,
  { now }: TransitionContext,
): Transition => {
  const refused = stateRefusal(hold, 'expire');
  if (refused) return refused;
  if (expiredAt(hold, now) === null)
    return refuse(
      hold,
      'HOLD_NOT_EXPIRED',
      `the hold expires at ${hold.hold_expires_at ?? '(never)'}`,
    );
  return release(hold, operation, now);
};

/**
 * Raises an open hold, decided against the account exactly like an authorization of the
 * increment: same rules, same reasons, and a REJECT is a result (stored under the key), not a
 * refusal. The per-transaction limit bounds the hold's new total, so increments cannot carry a
 * hold past the limit an authorization of that total would meet.
 */
export const increment = (
  hold: HoldState,
  operation: Extract<HoldOperation, { kind: 'increment' }>,
  { now, account }: TransitionContext,
): Transition => {
  const refused = stateRefusal(hold, 'increment');
  if (refused) return refused;
  if (!isPositiveCents(operation.amount)) return invalidAmount(hold, operation.amount);
  const expired = expiredAt(hold, now);
  if (expired !== null) return pastExpiry(hold, expired);
  const limited =
    account === null || account.per_transaction_limit === null
      ? account
      : { ...account, per_transaction_limit: account.per_transaction_limit - hold.amount };
  const decision = decide(
    {
      transaction_id: hold.transaction_id,
      user_id: hold.user_id,
      amount: operation.amount,
      currency: hold.currency,
    },
    limited,
    now,
  );
  if (decision.status === 'REJECTED') {
    return step(
      hold,
      hold,
      operation,
      {
        status: 'REJECTED',
        reason: decision.reason,
        amount: operation.amount,
        released: 0,
        deltas: noDeltas,
      },
      now,
    );
  }
  return step(
    hold,
    { ...hold, amount: hold.amount + operation.amount },
    operation,
    {
      status: 'PERMITTED',
      amount: operation.amount,
      released: 0,
      deltas: { pending: operation.amount, posted: 0, available: -operation.amount },
    },
    now,
  );
};

/** Gives back captured money, partly or wholly, several times; never more than was captured. */
export const refund = (
  hold: HoldState,
  operation: Extract<HoldOperation, { kind: 'refund' }>,
  { now }: TransitionContext,
): Transition => {
  const refused = stateRefusal(hold, 'refund');
  if (refused) return refused;
  if (!isPositiveCents(operation.amount)) return invalidAmount(hold, operation.amount);
  const refundable = postedAmount(hold);
  if (operation.amount > refundable)
    return refuse(
      hold,
      'AMOUNT_EXCEEDS_CAPTURED',
      `cannot refund ${formatMoney(operation.amount)}: ${formatMoney(refundable)} is captured and not refunded`,
    );
  return step(
    hold,
    { ...hold, refunded: hold.refunded + operation.amount },
    operation,
    {
      status: 'APPLIED',
      amount: operation.amount,
      released: operation.amount,
      deltas: { pending: 0, posted: -operation.amount, available: operation.amount },
    },
    now,
  );
};

/** The one entry point: routes an operation to its transition. */
export const transition = (
  hold: HoldState,
  operation: HoldOperation,
  context: TransitionContext,
): Transition => {
  switch (operation.kind) {
    case 'capture':
      return capture(hold, operation, context);
    case 'void':
      return voidHold(hold, operation, context);
    case 'increment':
      return increment(hold, operation, context);
    case 'refund':
      return refund(hold, operation, context);
    case 'expire':
      return expire(hold, operation, context);
  }
};
