import type {
  DepositBatch,
  DepositCredit,
  DepositLedger,
  DepositRepository,
  RecordedDuplicate,
} from '@creditline/domain';

/** A batch written to both stores. */
export interface CreditedBatch {
  /** Credited by this upload: now, or by an earlier attempt at it. */
  readonly accepted: readonly DepositCredit[];
  /** How many of `accepted` an earlier attempt at this upload credited. */
  readonly resumed: number;
  /** Credited before by another file or upload, with the same user and amount. */
  readonly alreadyCredited: readonly DepositCredit[];
  /** Credited before under the same deposit_id with another user or amount: refused. */
  readonly conflicts: readonly RecordedDuplicate[];
  /** Deposits the ledger already held that the books lacked, written to the books now. */
  readonly healedInBooks: number;
}

const sameMoney = ({ offered, recorded }: RecordedDuplicate): boolean =>
  offered.user_id === recorded.user_id && offered.amount === recorded.amount;

/**
 * One batch, ledger first (DynamoDB: where credit becomes spendable, and where a deposit_id is
 * judged new or not), then the books (Aurora). The books get every deposit the ledger holds for
 * these ids, as the ledger holds them: when an earlier attempt died between the two steps, the
 * books lack deposits the ledger reports as existing, and writing them now heals that.
 */
export const creditBatch = async (
  batch: DepositBatch,
  stores: { readonly ledger: DepositLedger; readonly repository: DepositRepository },
): Promise<CreditedBatch> => {
  const { credited, resumed, duplicates } = await stores.ledger.record(batch);
  const earlier = duplicates.map((duplicate) => duplicate.recorded);
  const { insertedDepositIds } = await stores.repository.record({
    ...batch,
    deposits: [...credited, ...resumed, ...earlier],
  });
  const heldBefore = new Set([...resumed, ...earlier].map((deposit) => deposit.deposit_id));
  return {
    accepted: [...credited, ...resumed],
    resumed: resumed.length,
    alreadyCredited: duplicates.filter(sameMoney).map((duplicate) => duplicate.offered),
    conflicts: duplicates.filter((duplicate) => !sameMoney(duplicate)),
    healedInBooks: insertedDepositIds.filter((id) => heldBefore.has(id)).length,
  };
};
