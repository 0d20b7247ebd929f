import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { PermanentStoreError, type BalanceChange } from '@creditline/domain';
import { readControlledItem } from '../dynamodb/account-controls-attributes.js';
import { creditCacheItemSchema } from '../dynamodb/credit-cache-item.js';
import type { CreditCacheStreamRecord } from './hold-journal-record.js';

/**
 * The change of `available` a CreditCache stream record carries, for the balance monitors:
 * every change of the item is one (a deposit's ADD, a hold, a release, a repair), judged from
 * its OLD and NEW images. Null when `available` did not move, or for a REMOVE. The record's
 * `eventID` names the change: globally unique, and the same when the record is read again.
 */
export const toBalanceChange = (record: CreditCacheStreamRecord): BalanceChange | null => {
  if (record.eventName !== 'INSERT' && record.eventName !== 'MODIFY') return null;
  const rawNext = record.dynamodb?.NewImage;
  if (rawNext === undefined) return null;
  const next = unmarshall(rawNext as Record<string, AttributeValue>);
  const rawPrevious = record.dynamodb?.OldImage;
  const previous =
    rawPrevious === undefined
      ? null
      : creditCacheItemSchema.shape.available.parse(
          unmarshall(rawPrevious as Record<string, AttributeValue>)['available'],
        );
  const item = creditCacheItemSchema.parse(next);
  if (previous === item.available) return null;
  if (record.eventID === undefined)
    throw new PermanentStoreError('a CreditCache stream record without eventID', 'MALFORMED_ITEM');
  const { stored } = readControlledItem(next, item.pk);
  return {
    partner_id: item.partner_id,
    user_id: item.user_id,
    previous,
    available: item.available,
    own: { version: stored.version, balance_monitors: stored.balance_monitors },
    change_id: record.eventID,
  };
};
