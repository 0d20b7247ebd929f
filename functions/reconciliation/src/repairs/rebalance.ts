import { formatMoney } from '@creditline/domain';
import type { ReconcileDependencies } from '../ports.js';
import { repaired, skipped, type RepairOutcome } from './repair-outcome.js';
import type { RepairTarget } from './repair-plan.js';

/**
 * credit_balance is derived; the deposits and transactions rows are the ledger. A balance that
 * disagrees with its ledger is set back to deposits - permitted, recomputed under the row lock
 * (the run's figures are never written: they may be stale by now).
 */
export const rebalance = async (
  deps: Pick<ReconcileDependencies, 'books'>,
  target: RepairTarget,
): Promise<RepairOutcome> => {
  const result = await deps.books.rebalance(target.user_id);
  if (result === null) {
    return skipped(
      'REBALANCE',
      target.user_id,
      target.user_id,
      'credit_balance agrees with the ledger now (or the user is gone)',
    );
  }
  const before = result.before === null ? 'no credit_balance row' : formatMoney(result.before);
  return repaired(
    'REBALANCE',
    target.user_id,
    target.user_id,
    `credit_balance ${before} -> ${formatMoney(result.after)} (deposits - permitted)`,
  );
};
