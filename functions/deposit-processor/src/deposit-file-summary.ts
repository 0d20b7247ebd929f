import { depositFileProcessedDetailSchema } from '@creditline/domain';
import { z } from 'zod';

const count = z.number().int().nonnegative();

/**
 * `processed/<file>.summary.json`: the DepositFileProcessed detail plus what explains it.
 * rows = accepted + duplicates + rejected, where
 * - accepted: credited by this upload (`resumed` of them by an earlier attempt at it);
 * - duplicates: repeated in the file with the same user and amount (`duplicates_in_file`), or
 *   credited before by another file or upload (`already_credited`);
 * - rejected: refused, each with a line in the errors file.
 */
export const depositFileSummarySchema = depositFileProcessedDetailSchema.extend({
  /** The upload processed (the S3 event's sequencer). */
  source_upload: z.string(),
  /** Where the file-level problem of a status other than PROCESSED was found. */
  line: z.number().int().positive().optional(),
  /** Key of `rejected/<file>.errors.csv`, null when nothing was refused. */
  errors_key: z.string().nullable(),
  /** Header columns that are not deposit columns: allowed, ignored. */
  extra_columns: z.array(z.string()),
  duplicates_in_file: count,
  already_credited: count,
  resumed: count,
  /** Deposits the ledger already held that the books lacked (a crash between them, healed now). */
  healed_in_books: count,
  rejected_by_reason: z.record(z.string(), count),
});
export type DepositFileSummary = z.infer<typeof depositFileSummarySchema>;
