import { formatMoney } from '@creditline/domain';
import type { ReconcileDependencies } from '../ports.js';
import { repaired, skipped, type RepairOutcome } from './repair-outcome.js';
import type { RepairTarget } from './repair-plan.js';

/**
 * A deposit DepositEvents holds and Aurora lacks: the DepositProcessor crashed between its
 * DynamoDB and its Aurora step. It is replayed the way the processor writes it, through the
 * same idempotent repository (deposit row and credit_balance in one SQL transaction); the
 * CreditCache already has it, since DynamoDB is written first.
 */
export const replayDeposit = async (
  deps: Pick<ReconcileDependencies, 'repairStore' | 'depositRepository'>,
  target: RepairTarget,
  runId: string,
): Promise<RepairOutcome> => {
  const event = await deps.repairStore.depositEvent(target.id);
  if (event === null)
    return skipped(
      'REPLAY_DEPOSIT',
      target.user_id,
      target.id,
      'DepositEvents no longer holds this deposit',
    );
  const { insertedDepositIds } = await deps.depositRepository.record({
    partner_id: event.partner_id,
    source_upload: `reconciliation:${runId}`,
    credited_at: event.credited_at,
    deposits: [
      {
        deposit_id: event.deposit_id,
        user_id: event.user_id,
        amount: event.amount,
        deposited_at: event.deposited_at,
        source_key: event.source_key,
        source_line: event.source_line,
      },
    ],
  });
  return insertedDepositIds.includes(event.deposit_id)
    ? repaired(
        'REPLAY_DEPOSIT',
        target.user_id,
        target.id,
        `credited ${formatMoney(event.amount)} to Aurora from DepositEvents`,
      )
    : skipped(
        'REPLAY_DEPOSIT',
        target.user_id,
        target.id,
        'Aurora holds this deposit_id since the run read it',
      );
};
