import { z } from 'zod';
import { amountSchema, centsSchema } from './amount.js';
import { currencySchema, identifierSchema, isoTimestampSchema } from './identifiers.js';
import { rejectReasonSchema } from './transaction.js';

/**
 * The hold lifecycle's published shapes: the operation requests partners send, the answers and
 * events creditline sends back, the hold as the TransactionLog keeps it, and a user's balance.
 * The rules live in `domain/src/lifecycle`; these are the shapes they read and write.
 */

/** `automatic`: the PERMIT is captured at once (today's behaviour). `manual`: it is a hold. */
export const captureMethodSchema = z.enum(['automatic', 'manual']);
export type CaptureMethod = z.infer<typeof captureMethodSchema>;

/**
 * The fields an authorization gains for a two-phase hold. `hold_expires_at` overrides the
 * partner's default expiry within the partner's bounds (see `resolveHoldExpiry`).
 */
export const holdAuthorizationFieldsSchema = z.strictObject({
  capture_method: captureMethodSchema.optional(),
  hold_expires_at: isoTimestampSchema.optional(),
});
export type HoldAuthorizationFields = z.infer<typeof holdAuthorizationFieldsSchema>;

const MAX_EXPIRY_SECONDS = 366 * 24 * 3600;
const expirySeconds = z.number().int().positive().max(MAX_EXPIRY_SECONDS);

/**
 * Per partner (the stack file): how long an uncaptured hold lives by default and the bounds a
 * request's `hold_expires_at` must fall within, measured from the authorization.
 */
export const holdExpiryPolicySchema = z
  .strictObject({
    default_seconds: expirySeconds.default(7 * 24 * 3600),
    min_seconds: expirySeconds.default(10),
    max_seconds: expirySeconds.default(31 * 24 * 3600),
  })
  .refine(
    (policy) =>
      policy.min_seconds <= policy.default_seconds && policy.default_seconds <= policy.max_seconds,
    { message: 'hold expiry needs min_seconds <= default_seconds <= max_seconds' },
  );
export type HoldExpiryPolicy = z.output<typeof holdExpiryPolicySchema>;

// --- operation requests (HTTP bodies; the event detail adds the transaction_id) ---------------

/** `POST /v1/transactions/{id}/capture`: all that is held when `amount` is absent. */
export const captureRequestSchema = z.strictObject({
  capture_id: identifierSchema,
  amount: amountSchema.optional(),
  /** Releases whatever stays held after this capture. */
  final: z.boolean().optional(),
});
export const voidRequestSchema = z.strictObject({ void_id: identifierSchema });
export const incrementRequestSchema = z.strictObject({
  increment_id: identifierSchema,
  amount: amountSchema,
});
export const refundRequestSchema = z.strictObject({
  refund_id: identifierSchema,
  amount: amountSchema,
});
export type CaptureRequest = z.output<typeof captureRequestSchema>;
export type VoidRequest = z.output<typeof voidRequestSchema>;
export type IncrementRequest = z.output<typeof incrementRequestSchema>;
export type RefundRequest = z.output<typeof refundRequestSchema>;

/** The operations a partner can ask for, by route segment; `expire` is creditline's own. */
export const holdOperationKindSchema = z.enum(['capture', 'void', 'increment', 'refund', 'expire']);
export type HoldOperationKind = z.infer<typeof holdOperationKindSchema>;

/** One operation, as the state machine reads it (amounts in cents). */
export const holdOperationSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('capture'),
    capture_id: identifierSchema,
    amount: centsSchema.optional(),
    final: z.boolean().optional(),
  }),
  z.strictObject({ kind: z.literal('void'), void_id: identifierSchema }),
  z.strictObject({
    kind: z.literal('increment'),
    increment_id: identifierSchema,
    amount: centsSchema,
  }),
  z.strictObject({ kind: z.literal('refund'), refund_id: identifierSchema, amount: centsSchema }),
  z.strictObject({ kind: z.literal('expire') }),
]);
export type HoldOperation = z.infer<typeof holdOperationSchema>;

/**
 * EventBridge details a partner publishes (source `partner.<partner_id>`), one per operation:
 * the HTTP body plus the transaction it applies to. Answered by callback.
 */
export const holdOperationRequestedDetailSchemas = {
  capture: captureRequestSchema.extend({ transaction_id: identifierSchema }),
  void: voidRequestSchema.extend({ transaction_id: identifierSchema }),
  increment: incrementRequestSchema.extend({ transaction_id: identifierSchema }),
  refund: refundRequestSchema.extend({ transaction_id: identifierSchema }),
} as const;

// --- the hold -------------------------------------------------------------------------------

export const holdStatuses = [
  'authorized',
  'partially_captured',
  'captured',
  'voided',
  'expired',
  'partially_refunded',
  'refunded',
  'rejected',
] as const;
export const holdStatusSchema = z.enum(holdStatuses);
export type HoldStatus = z.infer<typeof holdStatusSchema>;

/** Why a hold stopped holding: its last capture, a void, or its expiry. */
export const holdClosedBySchema = z.enum(['capture', 'void', 'expiry']);
export type HoldClosedBy = z.infer<typeof holdClosedBySchema>;

/**
 * A hold's figures, from which its status follows (`holdStatus`): storing amounts and never a
 * status means the two cannot disagree. Held now = amount - captured - released.
 */
export const holdStateSchema = z.object({
  partner_id: identifierSchema,
  transaction_id: identifierSchema,
  user_id: identifierSchema,
  currency: currencySchema.optional(),
  capture_method: captureMethodSchema,
  decision: z.enum(['PERMITTED', 'REJECTED']),
  /** Authorized, increments included (for a REJECT: what was asked, never held). */
  amount: centsSchema.nonnegative(),
  captured: centsSchema.nonnegative(),
  refunded: centsSchema.nonnegative(),
  /** Given back to available by a final capture, a void or the expiry. */
  released: centsSchema.nonnegative(),
  closed_by: holdClosedBySchema.nullable(),
  /** When an uncaptured hold is released by itself; null when nothing is ever held. */
  hold_expires_at: isoTimestampSchema.nullable(),
});
export type HoldState = z.infer<typeof holdStateSchema>;

// --- balances -------------------------------------------------------------------------------

/**
 * A user's money as a partner reasons about it, in cents: `credited` (deposits), `posted`
 * (captured net of refunds), `pending` (held, not captured), and `available`, which is always
 * `credited - posted - pending`.
 */
export const balanceFiguresSchema = z
  .object({
    credited: centsSchema.nonnegative(),
    posted: centsSchema.nonnegative(),
    pending: centsSchema.nonnegative(),
    available: centsSchema,
  })
  .refine((b) => b.available === b.credited - b.posted - b.pending, {
    message: 'available must equal credited - posted - pending',
  });
export type BalanceFigures = z.infer<typeof balanceFiguresSchema>;

/** `GET /v1/users/{id}/balance`. */
export const balanceResponseSchema = z.object({
  user_id: identifierSchema,
  currency: currencySchema,
  credited: centsSchema,
  posted: centsSchema,
  pending: centsSchema,
  available: centsSchema,
});
export type BalanceResponse = z.infer<typeof balanceResponseSchema>;

/** How one operation moves the account's figures (credited never moves here). */
export const balanceDeltasSchema = z.object({
  available: centsSchema,
  pending: centsSchema,
  posted: centsSchema,
});
export type BalanceDeltas = z.infer<typeof balanceDeltasSchema>;

// --- answers and events ---------------------------------------------------------------------

/**
 * Refusals of an operation, in precedence order: the first that applies is reported. Each is a
 * 409 (or 400 for INVALID_AMOUNT) with no effect, and consumes no key: a retry is judged anew.
 * - INVALID_STATE: the operation is never legal in the hold's state;
 * - INVALID_AMOUNT: not a positive integer number of cents;
 * - AMOUNT_EXCEEDS_HOLD: a capture of more than is held;
 * - AMOUNT_EXCEEDS_CAPTURED: a refund of more than is captured and not yet refunded;
 * - HOLD_EXPIRED: the hold was released by its expiry, or its hold_expires_at has passed;
 * - HOLD_NOT_EXPIRED: an expiry before hold_expires_at.
 * HOLD_EXPIRED stands in for INVALID_STATE when the state is "released by expiry" (the state
 * step reports it first); the passing of hold_expires_at alone is judged after the amounts.
 */
export const holdRefusalCodes = [
  'INVALID_STATE',
  'INVALID_AMOUNT',
  'AMOUNT_EXCEEDS_HOLD',
  'AMOUNT_EXCEEDS_CAPTURED',
  'HOLD_EXPIRED',
  'HOLD_NOT_EXPIRED',
] as const;
export const holdRefusalCodeSchema = z.enum(holdRefusalCodes);
export type HoldRefusalCode = z.infer<typeof holdRefusalCodeSchema>;

export const holdRefusalSchema = z.object({
  code: holdRefusalCodeSchema,
  message: z.string(),
  status: holdStatusSchema,
});
export type HoldRefusal = z.infer<typeof holdRefusalSchema>;

/**
 * What an operation did, as stored under its key and replayed to a retry. `APPLIED` for a
 * capture, void, refund or expiry; an increment is a decision: PERMITTED or REJECTED (with the
 * authorization's reason codes), and a REJECT is stored like an authorization's.
 */
export const holdOperationResultSchema = z.object({
  transaction_id: identifierSchema,
  operation: holdOperationKindSchema,
  /** capture_id, void_id, increment_id, refund_id; for an expiry the transaction_id. */
  operation_id: identifierSchema,
  status: z.enum(['APPLIED', 'PERMITTED', 'REJECTED']),
  reason: rejectReasonSchema.nullable(),
  /** Captured, refunded, incremented, or (void, expiry) released by this operation. */
  amount: centsSchema.nonnegative(),
  /** Given back to available by this operation (a final capture's rest, a void, an expiry, a refund). */
  released: centsSchema.nonnegative(),
  hold_status: holdStatusSchema,
  /** The hold after the operation. */
  held: centsSchema.nonnegative(),
  captured: centsSchema.nonnegative(),
  refunded: centsSchema.nonnegative(),
  occurred_at: isoTimestampSchema,
});
export type HoldOperationResult = z.infer<typeof holdOperationResultSchema>;

/** The answer over HTTP and in the callback: the result plus the account's available credit after. */
export const holdOperationResponseSchema = holdOperationResultSchema.extend({
  remaining_credit: centsSchema,
  replay: z.boolean().optional(),
});
export type HoldOperationResponse = z.infer<typeof holdOperationResponseSchema>;

/** The bus's detail types for lifecycle steps, one per operation. */
export const holdEventDetailTypes = {
  capture: 'TransactionCaptured',
  void: 'TransactionVoided',
  increment: 'TransactionIncremented',
  refund: 'TransactionRefunded',
  expire: 'TransactionExpired',
} as const satisfies Record<HoldOperationKind, string>;

/** Published for every recorded operation (the outbox), with the owning partner and callback. */
export const holdEventDetailSchema = holdOperationResponseSchema.omit({ replay: true }).extend({
  partner_id: identifierSchema,
  user_id: identifierSchema,
  callback_url: z.url().optional(),
});
export type HoldEventDetail = z.infer<typeof holdEventDetailSchema>;
