import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { HoldJournalEntry } from '@creditline/domain';
import { creditCacheItemSchema, lastOperationSchema } from '../dynamodb/credit-cache-item.js';

/** A CreditCache stream record as Lambda (and the local poller) hand it over: only what is read. */
export interface CreditCacheStreamRecord {
  /** Unique per change, and the same on every read of the record. */
  readonly eventID?: string;
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly NewImage?: Readonly<Record<string, unknown>>;
    readonly OldImage?: Readonly<Record<string, unknown>>;
  };
}

const image = (
  raw: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> | undefined =>
  raw === undefined ? undefined : unmarshall(raw as Record<string, AttributeValue>);

const sameStamp = (a: unknown, b: unknown): boolean => {
  const left = lastOperationSchema.safeParse(a);
  const right = lastOperationSchema.safeParse(b);
  return (
    left.success &&
    right.success &&
    left.data.key === right.data.key &&
    left.data.attempt === right.data.attempt &&
    left.data.kind === right.data.kind
  );
};

/**
 * The journal entry a CreditCache change carries: the operation that made it, read from the new
 * image's `last_op` with the available it produced. Null for a change that is not an operation
 * (a deposit's ADD, a seed, a repair: their new image carries the previous stamp unchanged) and
 * for a REMOVE. A stamp that does not parse is a bug upstream and throws.
 */
export const toHoldJournalEntry = (record: CreditCacheStreamRecord): HoldJournalEntry | null => {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return null;
  const next = image(record.dynamodb?.NewImage);
  if (next?.['last_op'] === undefined) return null;
  const previous = image(record.dynamodb?.OldImage);
  if (previous !== undefined && sameStamp(previous['last_op'], next['last_op'])) return null;
  const item = creditCacheItemSchema.parse(next);
  const stamp = lastOperationSchema.parse(next['last_op']);
  return {
    partner_id: item.partner_id,
    user_id: item.user_id,
    stamp,
    available_after: item.available,
  };
};
