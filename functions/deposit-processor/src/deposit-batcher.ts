export interface DepositBatcher<T> {
  /** Adds a deposit; returns the batch it closed when the deposit did not fit in it. */
  add(item: T): readonly T[] | null;
  /** The last, partly filled batch, if any. */
  flush(): readonly T[] | null;
}

/**
 * Cuts deposits into batches the ledger can write in one transaction: each deposit is one item
 * and each distinct user one more (a user's credits in a batch are summed into one update).
 */
export const createDepositBatcher = <T>(
  maxItems: number,
  userOf: (item: T) => string,
): DepositBatcher<T> => {
  let items: T[] = [];
  let users = new Set<string>();

  const close = (): readonly T[] | null => {
    if (items.length === 0) return null;
    const closed = items;
    items = [];
    users = new Set();
    return closed;
  };

  return {
    add(item) {
      const user = userOf(item);
      const cost = users.has(user) ? 1 : 2;
      const closed = items.length + users.size + cost > maxItems ? close() : null;
      items.push(item);
      users.add(user);
      return closed;
    },
    flush: close,
  };
};
