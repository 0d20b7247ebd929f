import type {
  HoldState,
  HoldOperation,
  HoldOperationResult,
  HoldRefusal,
} from '../contracts/lifecycle.js';
import { transition, type HoldStep, type TransitionContext } from './transitions.js';

/**
 * Each operation takes effect once under its own key, scoped to its transaction (and so to its
 * partner): `capture#<capture_id>`, `void#<void_id>`, `increment#<increment_id>`,
 * `refund#<refund_id>`, and `expire` (a hold expires once).
 */
export const operationKey = (operation: HoldOperation): string => {
  switch (operation.kind) {
    case 'capture':
      return `capture#${operation.capture_id}`;
    case 'void':
      return `void#${operation.void_id}`;
    case 'increment':
      return `increment#${operation.increment_id}`;
    case 'refund':
      return `refund#${operation.refund_id}`;
    case 'expire':
      return 'expire';
  }
};

/**
 * One text per request body, so a retry can be told from another request under a used key. An
 * absent amount (capture everything held) differs from any explicit amount, and an absent
 * `final` from `final: false`: the partner said different things, even if they came to the
 * same effect today. The leading version lets the form change without false conflicts.
 */
export const operationFingerprint = (operation: HoldOperation): string => {
  switch (operation.kind) {
    case 'capture':
      return JSON.stringify([
        'v1',
        'capture',
        operation.capture_id,
        operation.amount ?? null,
        operation.final ?? null,
      ]);
    case 'void':
      return JSON.stringify(['v1', 'void', operation.void_id]);
    case 'increment':
      return JSON.stringify(['v1', 'increment', operation.increment_id, operation.amount]);
    case 'refund':
      return JSON.stringify(['v1', 'refund', operation.refund_id, operation.amount]);
    case 'expire':
      return JSON.stringify(['v1', 'expire']);
  }
};

/** What the store keeps under an operation's key. */
export interface StoredHoldOperation {
  readonly fingerprint: string;
  readonly result: HoldOperationResult;
}

/**
 * - applied: a first request with an effect (or an increment's REJECT) to commit and store;
 * - replay: the key was used by this same request: answer the stored result, change nothing;
 * - conflict: the key was used by another request: 409, change nothing;
 * - refused: the state machine refused; nothing is stored, so a retry is judged anew.
 */
export type HoldExecution =
  | {
      readonly kind: 'applied';
      readonly key: string;
      readonly fingerprint: string;
      readonly step: HoldStep;
    }
  | { readonly kind: 'replay'; readonly key: string; readonly result: HoldOperationResult }
  | { readonly kind: 'conflict'; readonly key: string; readonly message: string }
  | { readonly kind: 'refused'; readonly key: string; readonly refusal: HoldRefusal };

/**
 * Idempotency first, then the state machine: a replay answers what was stored even when the
 * hold has moved on since (a retried capture of a hold that was then refunded still answers
 * its capture), and a conflict never reaches the rules.
 */
export const executeHoldOperation = (
  hold: HoldState,
  operation: HoldOperation,
  stored: StoredHoldOperation | null,
  context: TransitionContext,
): HoldExecution => {
  const key = operationKey(operation);
  const fingerprint = operationFingerprint(operation);
  if (stored !== null) {
    if (stored.fingerprint === fingerprint) return { kind: 'replay', key, result: stored.result };
    return {
      kind: 'conflict',
      key,
      message: `${key} was already used on transaction ${hold.transaction_id} with a different request`,
    };
  }
  const outcome = transition(hold, operation, context);
  return outcome.ok
    ? { kind: 'applied', key, fingerprint, step: outcome.value }
    : { kind: 'refused', key, refusal: outcome.error };
};
