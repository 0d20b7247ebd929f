/**
 * Every stored id belongs to one partner: users, transaction ids and deposit ids are unique per
 * partner, not globally, so two partners may use the same id and neither can take, read or
 * pre-claim the other's. Every DynamoDB key is built here and nowhere else.
 *
 * Ids never contain `#` (see IDENTIFIER_PATTERN), so `partner#id` cannot be forged by choosing
 * an id: `acme#x` as a user id of partner `evil` is refused at the door, it never becomes a key.
 */
export const KEY_SEPARATOR = '#';

/** The partition key attribute of CreditCache, DepositEvents and TransactionLog. */
export const partitionKeyAttribute = 'pk';

/** The key attribute of a user's decisions in the TransactionLog's `by_user` index. */
export const accountKeyAttribute = 'account_key';

/** `partner#id`: the one way a partner's id becomes a store key. */
export const scopedKey = (partnerId: string, id: string): string =>
  `${partnerId}${KEY_SEPARATOR}${id}`;

/** The DynamoDB `Key` of a partner's item (CreditCache: user id; TransactionLog: transaction id; DepositEvents: deposit id). */
export const itemKey = (partnerId: string, id: string): { readonly pk: string } => ({
  pk: scopedKey(partnerId, id),
});

/** The partner and id a scoped key was built from, or undefined for a key that is not scoped. */
export const splitScopedKey = (
  key: string,
): { readonly partner_id: string; readonly id: string } | undefined => {
  const at = key.indexOf(KEY_SEPARATOR);
  if (at <= 0 || at === key.length - 1) return undefined;
  return { partner_id: key.slice(0, at), id: key.slice(at + 1) };
};
