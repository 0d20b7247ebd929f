import { toTransactionDecidedEvent } from '@creditline/adapters/outbox/transaction-decided';
import { readWholeStream } from '@creditline/adapters/testing/read-stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthorizeCommand } from './authorize.js';
import {
  createValidatorHarness,
  fastRetry,
  SimulatedCrash,
  type Fault,
  type ValidatorHarness,
} from './fixtures/validator-harness.js';

/** The crash, however the adapter wrapped it. */
const crashed = (error: unknown): boolean =>
  error instanceof SimulatedCrash ||
  (error instanceof Error && error.cause !== undefined && crashed(error.cause));

/**
 * The commit's crash safety, proven by killing the use-case after each of its store calls lands
 * (the process dies before it reads the answer), then retrying the request once the claim's lease
 * has expired, with the hold journal run over the account's stream before or after the retry. Each
 * case must end with exactly one hold (or none for a REJECT), one decision and one publication.
 */
describe('a crash at every step boundary of the commit, then the request retried', () => {
  let harness: ValidatorHarness;
  let offsetMs = 0;
  let crashAt: number | null = null;
  let calls = 0;
  const clock = { now: () => new Date(Date.now() + offsetMs) };
  let runJournal: () => Promise<void>;

  beforeAll(async () => {
    harness = await createValidatorHarness({
      clock,
      retry: fastRetry,
      faults: (): Fault | undefined => {
        calls += 1;
        return calls === crashAt ? { kind: 'crash' } : undefined;
      },
    });
    // The journal redelivers the whole stream every time: each entry must be safe to see again.
    runJournal = async () => {
      expect((await harness.runJournal(clock)).batchItemFailures).toEqual([]);
    };
  }, 60_000);
  afterAll(async () => {
    await harness.drop();
  });

  const publicationsOf = async (transactionId: string) => {
    const records = await readWholeStream(
      harness.dynamo.client,
      harness.dynamo.endpoint,
      harness.dynamo.tables.transactionLog,
    );
    return records.flatMap((record) => {
      const mapping = toTransactionDecidedEvent(record);
      return mapping.kind === 'event' && mapping.event.detail['transaction_id'] === transactionId
        ? [mapping.event.detail]
        : [];
    });
  };

  // Claim (PutItem), hold (UpdateItem CreditCache), finalize (UpdateItem TransactionLog).
  const STEPS = [1, 2, 3] as const;
  const cases = STEPS.flatMap((step) =>
    (['PERMITTED', 'REJECTED'] as const).flatMap((expected) =>
      (
        ['retry, then journal', 'journal, then retry', 'another hold, retry, then journal'] as const
      ).map((order) => ({ step, expected, order })),
    ),
  );

  it.each(cases)(
    'crash after store call $step, $expected, $order',
    async ({ step, expected, order }) => {
      // Prepare: a user of its own, with 100.00; 30.00 is permitted (even beside an orphaned first hold), 120.00 rejected
      const user = `u-${step}-${expected}-${order.replace(/[^a-z]+/g, '-')}`;
      const amount = expected === 'PERMITTED' ? 3_000 : 12_000;
      await harness.seedCache({ user_id: user, available: 10_000, pending: 0, version: 0 });
      const command: AuthorizeCommand = {
        body: { transaction_id: `tx-${user}`, user_id: user, amount: amount / 100 },
        partner_id: 'acme',
        onInvalidAmount: 'refuse',
      };

      // Act: the first request dies right after its store call `step` lands
      calls = 0;
      crashAt = step;
      const died = await harness.deps.authorize(command).then(
        () => null,
        (error: unknown) => error,
      );
      expect(crashed(died)).toBe(true);
      crashAt = null;
      offsetMs += fastRetry.leaseMs + 1_000;
      let outcome;
      // A busy account: another hold lands after the crash, so the first hold is not the account's last operation
      const other = order === 'another hold, retry, then journal' ? 1_000 : 0;
      if (other > 0) {
        const busy = await harness.deps.authorize({
          ...command,
          body: { transaction_id: `tx-other-${user}`, user_id: user, amount: other / 100 },
        });
        expect(busy).toMatchObject({ type: 'decided', decision: { status: 'PERMITTED' } });
      }
      if (order !== 'journal, then retry') {
        outcome = await harness.deps.authorize(command);
        await runJournal();
      } else {
        await runJournal();
        outcome = await harness.deps.authorize(command);
      }
      await runJournal();

      // Assess: one decision, answered to the retry, one hold at most, one publication
      expect(outcome).toMatchObject({ type: 'decided', decision: { status: expected } });
      const decisions = (await harness.logItems()).filter(
        (item) => item.transaction_id === `tx-${user}`,
      );
      expect(decisions).toHaveLength(1);
      expect(decisions[0]).toMatchObject({ state: 'DECIDED', status: expected });
      const held = (expected === 'PERMITTED' ? amount : 0) + other;
      expect(await harness.cacheItem(user)).toMatchObject({
        available: 10_000 - held,
        pending: held,
      });
      if (outcome.type === 'decided')
        expect(outcome.decision.remaining_credit).toBe(decisions[0]?.remaining_credit);
      const published = await publicationsOf(`tx-${user}`);
      expect(published).toHaveLength(1);
      expect(published[0]).toMatchObject({
        status: expected,
        remaining_credit: decisions[0]?.remaining_credit,
      });
    },
  );
});
