import type { DepositBatch } from './deposit-credit.js';

/**
 * The relational books' side of a deposit (Aurora users, deposits, credit_balance). Give it every
 * deposit of a batch, including those the ledger already had: the books judge for themselves
 * (a crash between the ledger and the books is healed by writing the batch again).
 */
export interface DepositRepository {
  /** In one transaction: records the deposits the books lack and adds them to the balances. */
  record(batch: DepositBatch): Promise<{ readonly insertedDepositIds: readonly string[] }>;
}
