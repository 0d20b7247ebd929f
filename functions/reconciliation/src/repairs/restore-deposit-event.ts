import { formatMoney } from '@creditline/domain';
import type { ReconcileDependencies } from '../ports.js';
import { repaired, skipped, type RepairOutcome } from './repair-outcome.js';
import type { RepairTarget } from './repair-plan.js';

/**
 * A deposit Aurora holds and DepositEvents lacks. The DynamoDB record is written back from the
 * Aurora row so the deposit_id is guarded again against a second credit; the CreditCache is not
 * touched here: it is checked against Aurora's balance on its own, and rebuilt if it is off.
 */
export const restoreDepositEvent = async (
  deps: Pick<ReconcileDependencies, 'books' | 'repairStore'>,
  target: RepairTarget,
): Promise<RepairOutcome> => {
  const row = await deps.books.deposit(target.id);
  if (row === null)
    return skipped(
      'RESTORE_DEPOSIT_EVENT',
      target.user_id,
      target.id,
      'Aurora no longer holds this deposit',
    );
  if (row.source_key === null || row.source_line === null) {
    return skipped(
      'RESTORE_DEPOSIT_EVENT',
      target.user_id,
      target.id,
      'the Aurora row names no source file and line, which a DepositEvents item must carry: restore it by hand',
    );
  }
  const restored = await deps.repairStore.restoreDepositEvent({
    partner_id: row.partner_id,
    deposit_id: row.deposit_id,
    user_id: row.user_id,
    amount: row.amount,
    deposited_at: row.deposited_at,
    source_key: row.source_key,
    source_line: row.source_line,
    credited_at: row.credited_at,
  });
  return restored
    ? repaired(
        'RESTORE_DEPOSIT_EVENT',
        target.user_id,
        target.id,
        `wrote the ${formatMoney(row.amount)} deposit back to DepositEvents from Aurora`,
      )
    : skipped(
        'RESTORE_DEPOSIT_EVENT',
        target.user_id,
        target.id,
        'DepositEvents holds this deposit_id since the run read it',
      );
};
