import type { DepositBatch } from './deposit-credit.js';

/**
 * The relational books' side of a deposit (Aurora users, deposits, credit_balance). Give it every
 * deposit of a batch, including those the ledger already held (as the ledger holds them): the
 * books judge for themselves, so writing a batch again heals a crash between ledger and books.
 */
export interface DepositRepository {
  /** In one transaction: records the deposits the books lack and adds them to the balances. */
  record(batch: DepositBatch): Promise<{ readonly insertedDepositIds: readonly string[] }>;
}
