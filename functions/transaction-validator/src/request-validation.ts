import {
  issuesToDetails,
  transactionRequestSchema,
  type ApiErrorDetail,
  type TransactionRequest,
} from '@creditline/domain';
import { z } from 'zod';

/** The request with every field valid except the amount, kept exactly as it was given. */
export type RequestWithInvalidAmount = Omit<TransactionRequest, 'amount'> & {
  readonly amount?: unknown;
};

export type RequestValidation =
  | { readonly kind: 'valid'; readonly request: TransactionRequest }
  /** Identifiable (ids, callback, currency valid) but the amount is not: a decision can say so. */
  | {
      readonly kind: 'invalid-amount';
      readonly request: RequestWithInvalidAmount;
      readonly details: ApiErrorDetail[];
    }
  | { readonly kind: 'invalid'; readonly details: ApiErrorDetail[] };

/** The same rules with the amount left open, to tell "bad amount" from "bad request". */
const identifiableRequestSchema = transactionRequestSchema.extend({
  amount: z.unknown().optional(),
});

/** A top-level field the body lacks: zod words it as a type error ("expected string, received undefined"). */
const isMissing = (body: unknown, path: string): boolean =>
  typeof body === 'object' &&
  body !== null &&
  !Array.isArray(body) &&
  /^[a-z_]+$/.test(path) &&
  !Object.hasOwn(body, path);

/**
 * Validates a request body (HTTP) or event detail (EventBridge) against the contract. Only a
 * failing request pays for the second parse that tells whether the amount alone is wrong.
 */
export const validateTransactionRequest = (body: unknown): RequestValidation => {
  const parsed = transactionRequestSchema.safeParse(body);
  if (parsed.success) return { kind: 'valid', request: parsed.data };
  const details = issuesToDetails(parsed.error.issues).map((detail) =>
    isMissing(body, detail.path) ? { path: detail.path, message: 'is required' } : detail,
  );
  const onlyAmount = parsed.error.issues.every(
    (issue) => issue.path.length === 1 && issue.path[0] === 'amount',
  );
  if (!onlyAmount) return { kind: 'invalid', details };
  const identifiable = identifiableRequestSchema.safeParse(body);
  if (!identifiable.success) return { kind: 'invalid', details };
  return { kind: 'invalid-amount', request: identifiable.data, details };
};
