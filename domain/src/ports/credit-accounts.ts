import type { CreditAccount } from '../contracts/account.js';

/** What a conditional seed found: the account was created, or another writer created it first. */
export type SeedOutcome = 'seeded' | 'exists';

/**
 * The real-time account (CreditCache), where holds happen. Reads are strongly consistent: a
 * decision must see every hold committed before it.
 */
export interface CreditAccountCache {
  /** The partner's user: another partner's user of the same id is another account. */
  read(partnerId: string, userId: string): Promise<CreditAccount | null>;
  /** Creates the account only if none exists, so concurrent first requests seed it once. */
  seed(partnerId: string, account: CreditAccount): Promise<SeedOutcome>;
}

/**
 * The books (Aurora users + credit_balance): where an account the cache does not hold yet comes
 * from. `null` means the user is unknown to creditline.
 */
export interface CreditAccountBooks {
  find(partnerId: string, userId: string): Promise<CreditAccount | null>;
}
