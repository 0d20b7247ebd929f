import {
  permitted,
  planControlledRelease,
  PermanentStoreError,
  type Clock,
  type CreditAccountCache,
  type DecisionLog,
  type HoldJournalEntry,
  type OrphanHolds,
  type StoredTransaction,
} from '@creditline/domain';

export interface HealHoldDependencies {
  readonly decisions: Pick<DecisionLog, 'read' | 'finalize'>;
  readonly orphans: OrphanHolds;
  /** The account is read before a release: the usage goes back to the windows still open. */
  readonly accounts: Pick<CreditAccountCache, 'read'>;
  readonly clock: Clock;
}

/**
 * What the journal did with one account operation:
 * - recorded: the hold's decision was already there (the normal case: the request finalized it);
 * - finalized: the request stopped between its debit and its finalize; the journal recorded the
 *   PERMIT the debit stands for (and the outbox publishes it);
 * - released / already-released: the debit's attempt had lost its claim (a retry took over after
 *   a crash or a timeout), so no decision owns it: it is given back, once;
 * - ignored: not a hold (a release; a deposit or a repair carries no new stamp).
 */
export type HealOutcome = 'recorded' | 'finalized' | 'released' | 'already-released' | 'ignored';

export type HealHold = (entry: HoldJournalEntry) => Promise<HealOutcome>;

/**
 * The journal of holds: every debit on an account item ends with its decision recorded, or given
 * back. Idempotent (every write is conditional on the claim's state and attempt, the release on
 * its mark), so the stream may deliver an entry any number of times, in any order with the
 * request that made it.
 */
export const createHealHold = (deps: HealHoldDependencies): HealHold => {
  /**
   * Gives the hold back: its credit, and its usage to each velocity window that still counts it.
   * The plan pins the windows it takes from, so if one rolls between the read and the write the
   * release is planned again from the item as it is then.
   */
  const release = async (entry: HoldJournalEntry): Promise<HealOutcome> => {
    for (let round = 0; round < 8; round += 1) {
      const account = await deps.accounts.read(entry.partner_id, entry.user_id);
      const plan = planControlledRelease(
        entry.user_id,
        entry.stamp,
        deps.clock.now().toISOString(),
        account,
      );
      const outcome = await deps.orphans.release(entry.partner_id, plan);
      if (outcome !== 'account-moved') return outcome;
    }
    throw new Error(
      `release of ${entry.stamp.key}#${entry.stamp.attempt}: the account kept moving`,
    );
  };

  return async (entry) => {
    const { stamp } = entry;
    if (stamp.kind !== 'HOLD') return 'ignored';
    let stored: StoredTransaction | null = await deps.decisions.read(entry.partner_id, stamp.key);
    for (let round = 0; round < 3; round += 1) {
      if (stored === null) {
        // Every debit is made under a claim written before it, and claims are never deleted.
        throw new PermanentStoreError(
          `hold ${entry.partner_id}/${stamp.key}#${stamp.attempt} on ${entry.user_id} has no claim`,
          'ClaimMissing',
        );
      }
      if (stored.state === 'DECIDED')
        return stored.attempt === stamp.attempt ? 'recorded' : release(entry);
      const { claim } = stored;
      if (claim.attempt !== stamp.attempt) return release(entry);
      // The debit landed under the current attempt and nothing recorded it yet: its PERMIT is
      // exactly what the request would have recorded (the same remaining credit and time).
      const request = {
        transaction_id: claim.transaction_id,
        user_id: claim.user_id,
        amount: stamp.amount,
        currency: claim.currency,
      };
      const decision = permitted(request, entry.available_after, stamp.at);
      const outcome = await deps.decisions.finalize(
        entry.partner_id,
        stamp.key,
        stamp.attempt,
        decision,
      );
      if (outcome.kind === 'decided') return 'finalized';
      stored = outcome.existing;
    }
    throw new Error(`hold ${stamp.key}#${stamp.attempt}: the claim kept changing`);
  };
};
