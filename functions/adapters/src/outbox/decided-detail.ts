import { transactionDecidedDetailSchema, type TransactionDecidedDetail } from '@creditline/domain';
import { z } from 'zod';
import { transactionDecidedFields } from './transaction-decided.js';

const optionalFields: ReadonlySet<string> = new Set(
  transactionDecidedFields.filter((field) => field.optional).map((field) => field.field),
);

/**
 * The Pipe cannot leave a field out, so an attribute the item lacks arrives as `""` (a PERMIT's
 * NULL reason too). Blank optional fields are read as absent and a blank reason as null; an
 * event published directly (a reconciliation re-publish) with real nulls and omissions reads
 * the same. Required fields are never blanked, so a blank there stays an error.
 */
const withoutBlanks = (detail: unknown): unknown => {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) return detail;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(detail)) {
    if (value === '' && optionalFields.has(key)) {
      if (key === 'reason') out[key] = null;
      continue;
    }
    out[key] = value;
  }
  if (!('reason' in out)) out['reason'] = null;
  return out;
};

/** The TransactionDecided detail as consumers read it, whoever published it. */
export const decidedDetailSchema: z.ZodType<TransactionDecidedDetail> = z.preprocess(
  withoutBlanks,
  transactionDecidedDetailSchema,
);
