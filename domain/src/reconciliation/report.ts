import { z } from 'zod';
import { centsSchema } from '../contracts/amount.js';

/**
 * What reconciliation can find, in report order. The deposit kinds treat a deposit as
 * (deposit_id, user_id, amount): a deposit filed under different users in the two stores shows
 * as missing in Aurora for one user and missing in DynamoDB for the other, since each user's
 * books are wrong by the full amount. The lifecycle kinds compare an account item that carries
 * credited, posted and pending: ACCOUNT_FIGURES_BROKEN when its own available is not
 * credited - posted - pending, and one kind per figure that disagrees with Aurora's (plus what
 * DynamoDB recorded and Aurora has not settled yet).
 */
export const differenceKinds = [
  'BALANCE_MISMATCH',
  'CACHE_MISMATCH',
  'CACHE_WITHOUT_ACCOUNT',
  'ACCOUNT_FIGURES_BROKEN',
  'CREDITED_MISMATCH',
  'POSTED_MISMATCH',
  'PENDING_MISMATCH',
  'DEPOSIT_MISSING_IN_AURORA',
  'DEPOSIT_MISSING_IN_DYNAMODB',
  'DEPOSIT_AMOUNT_MISMATCH',
  'UNSETTLED_DECISION',
  'UNSETTLED_OPERATION',
  'CALLBACK_DEAD_LETTERED',
] as const;
export const differenceKindSchema = z.enum(differenceKinds);
export type DifferenceKind = z.infer<typeof differenceKindSchema>;

/** Kinds that are money in the wrong place (drift); the others are work left undone. */
export const driftKinds: ReadonlySet<DifferenceKind> = new Set<DifferenceKind>([
  'BALANCE_MISMATCH',
  'CACHE_MISMATCH',
  'CACHE_WITHOUT_ACCOUNT',
  'ACCOUNT_FIGURES_BROKEN',
  'CREDITED_MISMATCH',
  'POSTED_MISMATCH',
  'PENDING_MISMATCH',
  'DEPOSIT_MISSING_IN_AURORA',
  'DEPOSIT_MISSING_IN_DYNAMODB',
  'DEPOSIT_AMOUNT_MISMATCH',
]);

/**
 * One row of the report's CSV. `expected` is what the books say the figure should be, `actual`
 * what the checked store holds, in cents; null means the store has nothing (no row, no item).
 * Deposits take DepositEvents (credited first) as expected and Aurora as actual.
 * `delta = (actual ?? 0) - (expected ?? 0)`; the outbox kinds (unsettled decisions and operations,
 * dead-lettered callbacks) carry no figures (delta 0).
 */
export const differenceSchema = z.object({
  kind: differenceKindSchema,
  user_id: z.string(),
  deposit_id: z.string().optional(),
  transaction_id: z.string().optional(),
  expected: centsSchema.nullable(),
  actual: centsSchema.nullable(),
  delta: centsSchema,
  message: z.string(),
});
export type Difference = z.infer<typeof differenceSchema>;

const count = z.number().int().nonnegative();

export const reconciliationReportSchema = z.object({
  /** Distinct users seen in Aurora or CreditCache. */
  users_checked: count,
  /** Distinct deposit_ids seen in DepositEvents or Aurora. */
  deposits_checked: count,
  differences: z.array(differenceSchema),
  /** Users with at least one drift difference. */
  drifted_users: count,
  /** Sum of |delta| over the drift differences, in cents. */
  drift_amount: centsSchema,
  /** Decisions and lifecycle steps unsettled for longer than the threshold. */
  unsettled_decisions: count,
  dead_lettered_callbacks: count,
});
export type ReconciliationReport = z.infer<typeof reconciliationReportSchema>;

const kindOrder = new Map(differenceKinds.map((kind, position) => [kind, position]));

/** Code-unit order, never locale order: the report must read the same on every machine. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Report order: kind (as listed in `differenceKinds`), then user_id, then deposit or transaction id. */
export const compareDifferences = (a: Difference, b: Difference): number =>
  (kindOrder.get(a.kind) ?? 0) - (kindOrder.get(b.kind) ?? 0) ||
  compareText(a.user_id, b.user_id) ||
  compareText(a.deposit_id ?? a.transaction_id ?? '', b.deposit_id ?? b.transaction_id ?? '');
