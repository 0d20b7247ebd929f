import type { AccountOperationPlan } from '../account-operation.js';
import type { CreditAccount } from '../contracts/account.js';

/** What a conditional seed found: the account was created, or another writer created it first. */
export type SeedOutcome = 'seeded' | 'exists';

/**
 * What one account operation did:
 * - applied: its requirements held and its deltas were added; `account` is the item the write
 *   produced (ALL_NEW), so what a caller reports is exactly what was committed;
 * - refused: a requirement did not hold; `account` is the item as the condition saw it
 *   (ALL_OLD), from which the domain names the refusal, or null when there is no item.
 */
export type OperationOutcome =
  | { readonly kind: 'applied'; readonly account: CreditAccount }
  | { readonly kind: 'refused'; readonly account: CreditAccount | null };

/**
 * The real-time account (CreditCache), where holds happen. Every change of money is `apply`:
 * one conditional write whose condition is the plan's rules, serialized by the store.
 */
export interface CreditAccountCache {
  /** The partner's user, strongly consistent: another partner's user of the same id is another account. */
  read(partnerId: string, userId: string): Promise<CreditAccount | null>;
  /** Creates the account only if none exists, so concurrent first requests seed it once. */
  seed(partnerId: string, account: CreditAccount): Promise<SeedOutcome>;
  /** One conditional write on the account item of `plan.user_id` of the partner. */
  apply(partnerId: string, plan: AccountOperationPlan): Promise<OperationOutcome>;
}

/**
 * The books (Aurora users + credit_balance): where an account the cache does not hold yet comes
 * from. `null` means the user is unknown to creditline.
 */
export interface CreditAccountBooks {
  find(partnerId: string, userId: string): Promise<CreditAccount | null>;
}
