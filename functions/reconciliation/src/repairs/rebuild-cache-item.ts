import { addCents, formatMoney } from '@creditline/domain';
import type { CacheItemSnapshot, ReconcileDependencies } from '../ports.js';
import { repaired, skipped, type RepairOutcome } from './repair-outcome.js';
import type { RepairTarget } from './repair-plan.js';

/**
 * A hold is on the account item a moment before its decision is in the log (and longer if its
 * request crashed, until the hold journal runs): an item operated on this recently may carry a
 * hold no unsettled decision shows yet, and rebuilding it would erase that hold.
 */
export const QUIET_BEFORE_REBUILD_MS = 15 * 60_000;

const skip = (target: RepairTarget, detail: string): RepairOutcome =>
  skipped('REBUILD_CACHE_ITEM', target.user_id, target.user_id, detail);

/**
 * Sets a CreditCache item's available to the Aurora balance, only when that is provably right:
 * - the item is still exactly what the run's Scan saw (a hold since then bumps the version, a
 *   deposit moves available), and it is read again, consistently, first;
 * - the user has no unsettled permit: then the cache must equal the balance, with nothing in
 *   flight between the two;
 * - no operation touched the item for QUIET_BEFORE_REBUILD_MS (a hold between its write and its
 *   decision is on the item but in no unsettled decision yet: see docs/commit.md);
 * - Aurora's balance agrees with its own ledger;
 * and the write is conditional on the version and available just read, so a hold or a deposit
 * that lands meanwhile makes it fail rather than be overwritten.
 * The cache is read before Aurora: a deposit credits DynamoDB first, so one landing between the
 * two reads moves the item and fails the condition.
 */
export const rebuildCacheItem = async (
  deps: Pick<ReconcileDependencies, 'books' | 'repairStore'>,
  target: RepairTarget,
  seenByScan: CacheItemSnapshot | undefined,
  at: string,
): Promise<RepairOutcome> => {
  const item = await deps.repairStore.cacheItem(target.user_id);
  if (item === null)
    return skip(target, 'no CreditCache item now: it is seeded from Aurora on first use');
  if (
    seenByScan === undefined ||
    seenByScan.available !== item.available ||
    seenByScan.version !== (item.version ?? 0)
  ) {
    return skip(
      target,
      'the item changed since the run read it (a hold or a deposit): the next run judges it',
    );
  }
  if (
    item.last_op_at !== undefined &&
    Date.parse(at) - Date.parse(item.last_op_at) < QUIET_BEFORE_REBUILD_MS
  ) {
    return skip(
      target,
      'operated on in the last 15 minutes: a hold may be between its write and its decision',
    );
  }
  const pending = await deps.repairStore.pendingPermits(target.user_id);
  if (pending.length > 0)
    return skip(target, `waits for ${pending.length} unsettled permit(s) to settle`);
  const books = await deps.books.userFigures(target.user_id);
  if (books === null) return skip(target, 'Aurora does not know this user');
  const ledger = addCents(books.deposits_total, -books.permitted_total);
  if (books.balance !== ledger)
    return skip(target, "Aurora's credit_balance disagrees with its own ledger");
  if (item.available === books.balance) return skip(target, 'the item agrees with Aurora now');
  const written = await deps.repairStore.rebuildCacheItem({
    user_id: target.user_id,
    seen: item,
    available: books.balance,
    at,
  });
  return written
    ? repaired(
        'REBUILD_CACHE_ITEM',
        target.user_id,
        target.user_id,
        `available ${formatMoney(item.available)} -> ${formatMoney(books.balance)} (Aurora balance)`,
      )
    : skip(target, 'the item changed while it was being rebuilt: the next run judges it');
};
