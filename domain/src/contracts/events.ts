import { z } from 'zod';
import { centsSchema } from './amount.js';
import { identifierSchema, isoTimestampSchema } from './identifiers.js';
import { decisionSchema, transactionRequestSchema } from './transaction.js';

/**
 * Event details on the creditline bus. Sources and detail types live with the rule patterns in
 * `@creditline/adapters/definitions` (they are deployment data); the shapes live here.
 */

/** Published by a partner as source `partner.<partner_id>`. */
export const transactionRequestedDetailSchema = transactionRequestSchema;
export type TransactionRequestedDetail = z.input<typeof transactionRequestedDetailSchema>;

/** Published by the Pipe from every new TransactionLog item. */
export const transactionDecidedDetailSchema = decisionSchema.extend({
  callback_url: z.url().optional(),
  /** The partner whose decision this is: its ids and its user are unique within that partner. */
  partner_id: identifierSchema,
});
export type TransactionDecidedDetail = z.infer<typeof transactionDecidedDetailSchema>;

export const depositFileStatusSchema = z.enum([
  'PROCESSED',
  'EMPTY',
  'NOT_CSV',
  'BAD_HEADER',
  'NOT_UTF8',
  /** Over the size cap: refused whole, before anything was credited; split it and upload the parts. */
  'TOO_LARGE',
]);
export type DepositFileStatus = z.infer<typeof depositFileStatusSchema>;

/** Published by the DepositProcessor when a file is done; also the summary file's body. */
export const depositFileProcessedDetailSchema = z.object({
  bucket: z.string(),
  key: z.string(),
  status: depositFileStatusSchema,
  rows: z.number().int().nonnegative(),
  accepted: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  credited_amount: centsSchema,
  duration_ms: z.number().nonnegative(),
  processed_at: isoTimestampSchema,
  message: z.string().optional(),
});
export type DepositFileProcessedDetail = z.infer<typeof depositFileProcessedDetailSchema>;
