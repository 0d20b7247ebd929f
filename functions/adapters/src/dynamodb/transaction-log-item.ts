import {
  centsSchema,
  currencySchema,
  decisionSchema,
  identifierSchema,
  isoTimestampSchema,
} from '@creditline/domain';
import { z } from 'zod';
import { itemKey } from '../definitions/tenancy.js';

/**
 * A TransactionLog item: first the claim on the transaction_id (state CLAIMED, written with
 * `attribute_not_exists` before any money moves), then, once, the decision (state DECIDED, the
 * verdict added under `state = CLAIMED AND attempt = n`). That CLAIMED → DECIDED MODIFY is the
 * outbox record the Pipe publishes. Afterwards only publication state changes: `settlement_state`
 * REMOVEd and `settled_at` set by the TransactionLogger, `delivery` by the CallbackDispatcher.
 */
export const deliverySchema = z.object({
  attempts: z.number().int().nonnegative(),
  last_status: z.union([z.number().int(), z.string()]).nullable(),
  last_attempt_at: isoTimestampSchema.nullable(),
  delivered_at: isoTimestampSchema.nullable(),
  dead_lettered: z.boolean().default(false),
});
export type Delivery = z.infer<typeof deliverySchema>;

export const transactionStates = ['CLAIMED', 'DECIDED'] as const;

/**
 * The sparse `unsettled` index's partition key: written with the decision, REMOVEd on settlement.
 * Sharded by the transaction key (`PENDING#00` … `PENDING#15`), so no index partition takes more
 * than a sixteenth of the decision rate; readers query every shard.
 */
export const UNSETTLED_SHARDS = 16;
const PENDING_PREFIX = 'PENDING#';
export const unsettledShardKeys: readonly string[] = Array.from(
  { length: UNSETTLED_SHARDS },
  (_, shard) => `${PENDING_PREFIX}${String(shard).padStart(2, '0')}`,
);
export const PENDING_SETTLEMENT_PREFIX = PENDING_PREFIX;

/** FNV-1a over the key's UTF-16 units: stable, spread, cheap. */
export const unsettledShardKey = (transactionKey: string): string => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < transactionKey.length; index += 1) {
    hash ^= transactionKey.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return unsettledShardKeys[(hash >>> 0) % UNSETTLED_SHARDS] ?? PENDING_PREFIX;
};

const settlementStateSchema = z.string().startsWith(PENDING_PREFIX);

/** The TransactionLog item's key, `partner#transaction_id`: the one place it is built. */
export const transactionLogKey = (
  partnerId: string,
  transactionId: string,
): { readonly pk: string } => itemKey(partnerId, transactionId);

const requestFields = {
  /** `partner#transaction_id` (tenancy.ts). */
  pk: z.string().min(1),
  /** `partner#user_id`: the key of the `by_user` index. */
  account_key: z.string().min(1),
  transaction_id: identifierSchema,
  user_id: identifierSchema,
  amount: centsSchema,
  currency: currencySchema.optional(),
  /** sha256 of the canonical request: a retry with the same id must carry the same request. */
  fingerprint: z.string().min(1),
  callback_url: z.url().optional(),
  partner_id: identifierSchema,
  /** Attempts of this claim whose holds the journal gave back (a number set). */
  released_attempts: z.set(z.number().int().positive()).optional(),
};

/** A claimed, undecided transaction. */
export const claimItemSchema = z.object({
  ...requestFields,
  state: z.literal('CLAIMED'),
  owner: z.string().min(1),
  attempt: z.number().int().positive(),
  lease_until: isoTimestampSchema,
});
export type ClaimItem = z.infer<typeof claimItemSchema>;

/** A decided transaction (an item without `state` predates claims: it is a decision). */
export const transactionLogItemSchema = decisionSchema.extend({
  ...requestFields,
  state: z.literal('DECIDED').default('DECIDED'),
  attempt: z.number().int().positive().default(1),
  settlement_state: settlementStateSchema.optional(),
  settled_at: isoTimestampSchema.optional(),
  delivery: deliverySchema.optional(),
});
export type TransactionLogItem = z.infer<typeof transactionLogItemSchema>;

/** Either state, told apart by `state`. */
export const storedTransactionItemSchema = z.union([claimItemSchema, transactionLogItemSchema]);
