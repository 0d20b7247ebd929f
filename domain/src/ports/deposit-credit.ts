import type { Cents } from '../money.js';

/** One accepted deposit on its way to the stores, and the file line it came from. */
export interface DepositCredit {
  readonly deposit_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  /** When the partner says the deposit happened (ISO-8601, UTC). */
  readonly deposited_at: string;
  readonly source_key: string;
  /** Line of the deposit in its file (the header is line 1). */
  readonly source_line: number;
}

/**
 * Deposits written together: one DynamoDB transaction, then one SQL transaction. `source_upload`
 * names one upload of the file (the S3 event's sequencer): a retried event carries the same
 * value, a re-upload of the same key a new one.
 */
export interface DepositBatch {
  /** The partner whose deposits these are: deposit ids and users are unique per partner. */
  readonly partner_id: string;
  readonly source_upload: string;
  /** When creditline credits the batch (ISO-8601, UTC). */
  readonly credited_at: string;
  readonly deposits: readonly DepositCredit[];
}
