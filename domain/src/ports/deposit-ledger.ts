import type { DepositBatch, DepositCredit } from './deposit-credit.js';

/** A deposit_id the ledger already held: the deposit as offered now, and as it was recorded. */
export interface RecordedDuplicate {
  readonly offered: DepositCredit;
  readonly recorded: DepositCredit;
}

/** What the ledger made of each deposit of a batch; every deposit is in exactly one list. */
export interface DepositLedgerOutcome {
  /** Recorded now, and added to the users' available credit. */
  readonly credited: readonly DepositCredit[];
  /** Recorded earlier by this same upload of this same file (an attempt that failed part-way): credited then. */
  readonly resumed: readonly DepositCredit[];
  /** Recorded earlier from another file or upload: credited once already, not again. */
  readonly duplicates: readonly RecordedDuplicate[];
}

/**
 * The real-time side of a deposit (DynamoDB DepositEvents + CreditCache): each deposit_id is
 * recorded once, and the credit it brings lands in the same transaction as the record.
 */
export interface DepositLedger {
  /** Largest number of deposits plus distinct users one `record` call accepts. */
  readonly maxBatchItems: number;
  record(batch: DepositBatch): Promise<DepositLedgerOutcome>;
}
