import type { Cents } from './money.js';

/** The fields that make two transaction requests "the same request". */
export interface CanonicalRequestFields {
  readonly transaction_id: string;
  readonly user_id: string;
  /** Integer cents; for a request rejected for its amount, the amount exactly as it was given. */
  readonly amount: Cents | { readonly as_given: unknown };
  readonly currency?: string | undefined;
  readonly callback_url?: string | undefined;
}

/**
 * One text per request, so its hash (the fingerprint) tells a retry from a different request
 * under a used transaction_id. A JSON array fixes field order and escaping, so no two distinct
 * requests share a text; "12.30" and 12.3 are the same request (1230 cents); an absent field
 * is `null`, never the empty string. The leading version lets the form change without
 * mistaking old fingerprints for conflicts.
 */
export const canonicalRequest = (fields: CanonicalRequestFields): string =>
  JSON.stringify([
    'v1',
    fields.transaction_id,
    fields.user_id,
    typeof fields.amount === 'number' ? fields.amount : { as_given: fields.amount.as_given ?? null },
    fields.currency ?? null,
    fields.callback_url ?? null,
  ]);
