import { z } from 'zod';
import { amountSchema, centsSchema } from './amount.js';
import { declineDetailSchema } from '../controls/decline-detail.js';
import { currencySchema, identifierSchema, isoTimestampSchema } from './identifiers.js';

/** Body of `POST /v1/transactions`, and the detail of a `TransactionRequested` event. */
export const transactionRequestSchema = z.strictObject({
  transaction_id: identifierSchema,
  user_id: identifierSchema,
  amount: amountSchema,
  callback_url: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  currency: currencySchema.optional(),
  /**
   * The partner's deadline: a request decided after it is REJECTED EXPIRED and never held, so a
   * partner that timed out and re-sent under a new id is never charged twice.
   */
  expires_at: isoTimestampSchema.optional(),
});
/** What the partner sends (amount as given). */
export type TransactionRequestInput = z.input<typeof transactionRequestSchema>;
/** After validation: amount in cents. */
export type TransactionRequest = z.output<typeof transactionRequestSchema>;

export const decisionStatusSchema = z.enum(['PERMITTED', 'REJECTED']);
export type DecisionStatus = z.infer<typeof decisionStatusSchema>;

/** Reasons for a rejection, in precedence order: the first that applies is the one reported. */
export const rejectReasons = [
  'UNKNOWN_USER',
  'INVALID_AMOUNT',
  'ACCOUNT_SUSPENDED',
  'ACCOUNT_CLOSED',
  'CURRENCY_MISMATCH',
  'EXPIRED',
  'LIMIT_EXCEEDED',
  'VELOCITY_LIMIT_EXCEEDED',
  'INSUFFICIENT_FUNDS',
  /**
   * Not one of `decide`'s: an event whose callback_url breaks the partner's rules is decided
   * REJECTED with this reason at the door (HTTP answers 400 INVALID_CALLBACK_URL instead).
   */
  'INVALID_CALLBACK_URL',
] as const;
export const rejectReasonSchema = z.enum(rejectReasons);
export type RejectReason = z.infer<typeof rejectReasonSchema>;

/** A decision as the domain makes it and the TransactionLog stores it. */
export const decisionSchema = z.object({
  transaction_id: identifierSchema,
  user_id: identifierSchema,
  amount: centsSchema,
  currency: currencySchema.optional(),
  status: decisionStatusSchema,
  reason: rejectReasonSchema.nullable(),
  remaining_credit: centsSchema,
  decided_at: isoTimestampSchema,
  /** Why a REJECT happened, for a machine (which control, its limit, used, remaining). */
  detail: declineDetailSchema.optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

/** The answer to the partner: synchronous HTTP body and callback body alike. */
export const transactionResponseSchema = decisionSchema
  .pick({
    transaction_id: true,
    status: true,
    reason: true,
    remaining_credit: true,
    decided_at: true,
    detail: true,
  })
  .extend({ replay: z.boolean().optional() });
export type TransactionResponse = z.infer<typeof transactionResponseSchema>;

export const toResponse = (decision: Decision, replay = false): TransactionResponse => ({
  transaction_id: decision.transaction_id,
  status: decision.status,
  reason: decision.reason,
  remaining_credit: decision.remaining_credit,
  decided_at: decision.decided_at,
  ...(decision.detail !== undefined ? { detail: decision.detail } : {}),
  ...(replay ? { replay: true } : {}),
});
