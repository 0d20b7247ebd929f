import {
  controlledRejection,
  decide,
  err,
  noProgramControls,
  planControlledHold,
  requestDeadline,
  isRetryable,
  ok,
  permitted,
  UnknownOutcomeStoreError,
  type ApiErrorDetail,
  type AuthorizationRequest,
  type ClaimOutcome,
  type Clock,
  type CreditAccount,
  type CreditAccountBooks,
  type CreditAccountCache,
  type Decision,
  type DecisionLog,
  type DecisionRecord,
  type FinalizeOutcome,
  type ProgramControls,
  type Result,
  type StoredTransaction,
  type TransactionClaim,
  type Verdict,
} from '@creditline/domain';
import { requestFingerprint } from './request-fingerprint.js';
import { validateTransactionRequest } from './request-validation.js';
import { fullJitterDelay, type RetryPolicy } from './retry-policy.js';

export interface AuthorizeDependencies {
  readonly accounts: CreditAccountCache;
  readonly books: CreditAccountBooks;
  readonly decisions: DecisionLog;
  readonly clock: Clock;
  /** Null when the partner may be called back at this URL, else what is wrong with it. */
  readonly checkCallbackUrl: (partnerId: string, url: string) => string | null;
  /** Monotonic milliseconds: the request's deadline is measured on it, not on the wall clock. */
  readonly monotonicMs: () => number;
  readonly retry: RetryPolicy;
  /** Uniform in [0, 1): the jitter between attempts and the claim owner's token. */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** The partner's program defaults (stack file): the controls of a user whose own were never set. */
  readonly programControls?: (partnerId: string | undefined) => ProgramControls;
  /** How long after its `time` an event may still be decided (the bus retries for hours). */
  readonly maxEventAgeMs?: number;
  /** Account images this instance remembers (last write's ALL_NEW), per user; default 10 000. */
  readonly lastSeenAccounts?: number;
}

export interface AuthorizeCommand {
  /** The request as received: an HTTP body or an event detail, not yet validated. */
  readonly body: unknown;
  /** The partner the channel authenticated: the request is decided inside its space only. */
  readonly partner_id: string;
  /**
   * A request whose amount alone is wrong: refused (HTTP answers 400 at once) or decided as
   * REJECTED INVALID_AMOUNT (an event's sender only hears back through the callback).
   */
  readonly onInvalidAmount: 'refuse' | 'reject';
  /** An event's own `time`: with `maxEventAgeMs` it bounds the request's deadline. */
  readonly event_time?: Date | undefined;
}

export type AuthorizeOutcome =
  | { readonly type: 'decided'; readonly decision: Decision; readonly replay: boolean }
  | { readonly type: 'invalid'; readonly details: readonly ApiErrorDetail[] }
  | { readonly type: 'invalid-callback-url'; readonly message: string }
  | { readonly type: 'duplicate'; readonly transaction_id: string }
  | { readonly type: 'unavailable'; readonly retryAfterSeconds: number };

export type Authorize = (command: AuthorizeCommand) => Promise<AuthorizeOutcome>;

/** What is decided and recorded for one request, fixed before the first store call. */
interface Subject {
  readonly request: AuthorizationRequest;
  readonly callback_url: string | undefined;
  readonly partner_id: string;
  readonly fingerprint: string;
  /** After it, the request is REJECTED EXPIRED and never held. */
  readonly deadline: Date | null;
  /** Refused at the door whatever the account says (an event's callback_url the partner may not use). */
  readonly refusal: 'INVALID_CALLBACK_URL' | null;
}

type SubjectRefusal =
  | { readonly type: 'invalid'; readonly details: readonly ApiErrorDetail[] }
  | { readonly type: 'invalid-callback-url'; readonly message: string };

const toSubject = (
  command: AuthorizeCommand,
  checkCallback: AuthorizeDependencies['checkCallbackUrl'],
  maxEventAgeMs: number | undefined,
): Result<Subject, SubjectRefusal> => {
  const validation = validateTransactionRequest(command.body);
  if (validation.kind === 'invalid') return err({ type: 'invalid', details: validation.details });
  if (validation.kind === 'invalid-amount' && command.onInvalidAmount === 'refuse') {
    return err({ type: 'invalid', details: validation.details });
  }
  const { transaction_id, user_id, currency, expires_at } = validation.request;
  const callbackProblem =
    validation.request.callback_url === undefined
      ? null
      : checkCallback(command.partner_id, validation.request.callback_url);
  if (callbackProblem !== null && command.onInvalidAmount === 'refuse')
    return err({ type: 'invalid-callback-url', message: callbackProblem });
  // A refused callback_url is not recorded: the decision is never sent there.
  const callback_url = callbackProblem === null ? validation.request.callback_url : undefined;
  const valid = validation.kind === 'valid';
  // An amount that is not a positive number of cents is decided as 0: `decide` rejects it.
  const amount = valid ? validation.request.amount : 0;
  const fingerprint = requestFingerprint({
    transaction_id,
    user_id,
    amount: valid ? amount : { as_given: validation.request.amount },
    currency,
    callback_url: validation.request.callback_url,
  });
  return ok({
    request: { transaction_id, user_id, amount, currency },
    callback_url,
    partner_id: command.partner_id,
    fingerprint,
    deadline: requestDeadline({
      expires_at: expires_at === undefined ? undefined : new Date(expires_at),
      event_time: command.event_time,
      max_event_age_ms: maxEventAgeMs,
    }),
    refusal: callbackProblem === null ? null : 'INVALID_CALLBACK_URL',
  });
};

export const toDecision = (record: DecisionRecord): Decision => ({
  transaction_id: record.transaction_id,
  user_id: record.user_id,
  amount: record.amount,
  ...(record.currency !== undefined ? { currency: record.currency } : {}),
  status: record.status,
  reason: record.reason,
  remaining_credit: record.remaining_credit,
  decided_at: record.decided_at,
  ...(record.detail !== undefined ? { detail: record.detail } : {}),
});

const verdictOf = (decision: Decision): Verdict => ({
  status: decision.status,
  reason: decision.reason,
  remaining_credit: decision.remaining_credit,
  decided_at: decision.decided_at,
  ...(decision.detail !== undefined ? { detail: decision.detail } : {}),
});

/** The request under an id, whatever state its item is in. */
const requestOf = (stored: StoredTransaction): { readonly fingerprint: string } =>
  stored.state === 'CLAIMED' ? stored.claim : stored.record;

/** Where the commit stands: a request holds attempt `attempt` of the claim, or has its answer. */
type Step =
  | { readonly kind: 'own'; readonly attempt: number }
  | { readonly kind: 'answer'; readonly outcome: AuthorizeOutcome };

const answer = (outcome: AuthorizeOutcome): Step => ({ kind: 'answer', outcome });

/**
 * Authorizes one transaction, in three store calls on the way of a first request:
 *   1. claim the transaction_id (TransactionLog, `attribute_not_exists`, attempt 1, a lease);
 *   2. ONE conditional UpdateItem on the account item: the hold, the rules as its condition, the
 *      claim's attempt stamped on it (`last_op`), ALL_NEW → the exact remaining credit, ALL_OLD
 *      on refusal → the domain names the reason;
 *   3. finalize the claim to DECIDED, only if it is still at that attempt.
 * A concurrent duplicate finds the claim and waits for its decision; a retry after a crash finds
 * an expired lease and takes the claim over (attempt + 1). A debit whose attempt lost its claim,
 * or whose finalize never came, is healed by the hold journal (the account item's stream): see
 * docs/commit.md for every crash point.
 */
export const createAuthorize = (deps: AuthorizeDependencies): Authorize => {
  const policy = deps.retry;
  const nowMs = (): number => deps.clock.now().getTime();
  const programOf = deps.programControls ?? ((): ProgramControls => noProgramControls);
  /**
   * The last image of each account this instance wrote (ALL_NEW): the next hold is planned from
   * it, so it needs no read. A stale one only makes the write fail and return the fresh image.
   */
  const lastSeen = new Map<string, CreditAccount>();
  const lastSeenLimit = deps.lastSeenAccounts ?? 10_000;
  const remember = (key: string, account: CreditAccount): void => {
    lastSeen.delete(key);
    if (lastSeen.size >= lastSeenLimit) {
      const oldest = lastSeen.keys().next();
      if (oldest.done !== true) lastSeen.delete(oldest.value);
    }
    lastSeen.set(key, account);
  };

  return async (command) => {
    const validated = toSubject(command, deps.checkCallbackUrl, deps.maxEventAgeMs);
    if (!validated.ok) return validated.error;
    const subject = validated.value;
    const { request } = subject;
    // Everything below is inside the caller's partner space: its id, its user, its claim.
    const partner = subject.partner_id;
    const id = request.transaction_id;
    const deadline = deps.monotonicMs() + policy.deadlineMs;
    const owner = `${nowMs().toString(36)}-${Math.floor(deps.random() * 2 ** 48).toString(36)}`;
    const leaseUntil = (): string => new Date(nowMs() + policy.leaseMs).toISOString();
    let throttled = 0;

    const unavailable = (retryAfterMs = 0): AuthorizeOutcome => ({
      type: 'unavailable',
      retryAfterSeconds: Math.max(policy.retryAfterSeconds, Math.ceil(retryAfterMs / 1000)),
    });

    /**
     * Runs one store call, waiting out throttling and unreachable moments within the deadline.
     * Only for calls that are idempotent by their own condition (claims, finalize, reads): the
     * debit has its own handling of an unknown outcome.
     */
    const persistently = async <T>(call: () => Promise<T>): Promise<T | null> => {
      for (;;) {
        try {
          return await call();
        } catch (error) {
          if (!isRetryable(error) || deps.monotonicMs() >= deadline) {
            if (isRetryable(error)) return null;
            throw error;
          }
          throttled += 1;
          await deps.sleep(fullJitterDelay(Math.min(throttled, 16), policy, deps.random));
        }
      }
    };

    const pollDelay = (round: number): number =>
      Math.min(policy.maxDelayMs, policy.pollDelayMs * 2 ** Math.min(round, 10));

    /**
     * What to do with the item under our id that is not (or no longer) our claim: the same request
     * waits for its decision or takes an expired claim over; another request is a conflict.
     */
    const settleTaken = async (found: StoredTransaction): Promise<Step> => {
      let existing = found;
      for (let round = 0; ; round += 1) {
        const stored = requestOf(existing);
        // The item is this partner's (the key is `partner#id`): only the request can differ.
        if (stored.fingerprint !== subject.fingerprint) {
          return answer({ type: 'duplicate', transaction_id: id });
        }
        if (existing.state === 'DECIDED')
          return answer({ type: 'decided', decision: toDecision(existing.record), replay: true });
        const { claim } = existing;
        // Our own claim, written by a call whose answer was lost and retried.
        if (claim.owner === owner) return { kind: 'own', attempt: claim.attempt };
        const leaseLeft = Date.parse(claim.lease_until) - nowMs();
        if (leaseLeft <= 0) {
          // The owner stopped. If its hold is the last thing on the account, it landed and nothing
          // moved since: record the PERMIT it stands for, as the journal would, instead of holding twice.
          const landed = await persistently(() => finalizeLandedHold(claim));
          if (landed !== null && landed.kind === 'decided')
            return answer({ type: 'decided', decision: toDecision(landed.record), replay: true });
          if (landed !== null && landed.existing !== null) {
            existing = landed.existing;
            continue;
          }
          const next = claim.attempt + 1;
          const taken = await persistently(() =>
            deps.decisions.takeOver(partner, id, claim.attempt, {
              owner,
              attempt: next,
              lease_until: leaseUntil(),
            }),
          );
          if (taken === null) return answer(unavailable());
          if (taken.kind === 'claimed') return { kind: 'own', attempt: next };
          existing = taken.existing;
          continue;
        }
        if (deps.monotonicMs() >= deadline) return answer(unavailable(leaseLeft));
        await deps.sleep(Math.min(pollDelay(round), leaseLeft));
        const reread = await persistently(() => deps.decisions.read(partner, id));
        if (reread === null) return answer(unavailable(leaseLeft));
        existing = reread;
      }
    };

    /** Null when the account does not show the claim's hold as its last operation. */
    const finalizeLandedHold = async (
      claim: TransactionClaim,
    ): Promise<FinalizeOutcome | { readonly kind: 'unknown'; readonly existing: null }> => {
      const account = await deps.accounts.read(partner, request.user_id);
      const last = account?.last_op;
      if (
        account === null ||
        last?.key !== id ||
        last.attempt !== claim.attempt ||
        last.kind !== 'HOLD'
      )
        return { kind: 'unknown', existing: null };
      return deps.decisions.finalize(
        partner,
        id,
        claim.attempt,
        verdictOf(permitted(request, account.available, last.at)),
      );
    };

    const onClaimOutcome = (
      outcome: ClaimOutcome | null,
      attempt: number,
    ): Promise<Step> | Step => {
      if (outcome === null) return answer(unavailable());
      if (outcome.kind === 'claimed') return { kind: 'own', attempt };
      return settleTaken(outcome.existing);
    };

    /** The account for a rejection named from a read: the cache, else the books (seeded). */
    const loadAccount = async (): Promise<CreditAccount | null> => {
      const cached = await deps.accounts.read(partner, request.user_id);
      if (cached !== null) return cached;
      const booked = await deps.books.find(partner, request.user_id);
      if (booked === null) return null;
      if ((await deps.accounts.seed(partner, booked)) === 'seeded') return booked;
      return deps.accounts.read(partner, request.user_id);
    };

    const program = programOf(subject.partner_id);
    /** The account the next plan is made from, and whether it is the store's own image. */
    // User ids are unique per partner, not globally.
    const seenKey = JSON.stringify([subject.partner_id, request.user_id]);
    let image: CreditAccount | null = lastSeen.get(seenKey) ?? null;
    let authoritative = false;

    /**
     * One round of deciding under `attempt`: the verdict, or null to go round again (the account
     * moved, or was just seeded from the books). `landed` tells whether a debit of this attempt is on the item.
     */
    const decideOnce = async (
      attempt: number,
    ): Promise<{ readonly verdict: Verdict; readonly landed: boolean } | null> => {
      const at = deps.clock.now();
      if (subject.refusal !== null) {
        // Refused at the door (an event's callback_url): nothing is held, the credit is only read.
        const account = await loadAccount();
        const decided = decide(request, account, at);
        return {
          verdict: {
            ...verdictOf(decided),
            status: 'REJECTED',
            reason: subject.refusal,
            remaining_credit: Math.max(account?.available ?? 0, 0),
          },
          landed: false,
        };
      }
      const planned = planControlledHold({
        request,
        account: image,
        program,
        deadline: subject.deadline,
        now: at,
        stamp: { key: id, attempt, at: at.toISOString() },
      });
      if (planned.kind === 'invalid-amount')
        return { verdict: verdictOf(decide(request, await loadAccount(), at)), landed: false };
      if (planned.kind === 'reject') {
        if (authoritative && image !== null) {
          const rejection = controlledRejection(request, image, program, subject.deadline, at);
          if (rejection !== null) return { verdict: verdictOf(rejection), landed: false };
        }
        // Named from an image the store may have moved past: confirm it from the item itself.
        image = await loadAccount();
        authoritative = true;
        if (image === null) return { verdict: verdictOf(decide(request, null, at)), landed: false };
        return null;
      }
      const { plan } = planned;
      const outcome = await deps.accounts.apply(partner, plan);
      if (outcome.kind === 'applied') {
        remember(seenKey, outcome.account);
        return {
          verdict: verdictOf(permitted(request, outcome.account.available, plan.stamp.at)),
          landed: true,
        };
      }
      if (outcome.account === null) {
        // No item: a user's first request, or an unknown user. The books decide which.
        const booked = await deps.books.find(partner, request.user_id);
        if (booked === null)
          return { verdict: verdictOf(decide(request, null, at)), landed: false };
        await deps.accounts.seed(partner, booked);
        image = null;
        authoritative = false;
        return null;
      }
      // The item as the condition saw it: it names the refusal, in precedence order, or it has
      // moved since the plan (a window rolled, the controls changed) and the hold is planned again.
      image = outcome.account;
      authoritative = true;
      remember(seenKey, outcome.account);
      const rejection = controlledRejection(
        request,
        outcome.account,
        program,
        subject.deadline,
        at,
      );
      if (rejection === null) return null;
      return { verdict: verdictOf(rejection), landed: false };
    };

    /** Decides and records under our attempt of the claim. */
    const commit = async (first: number): Promise<AuthorizeOutcome> => {
      let attempt = first;
      let landed = false;
      let verdict: Verdict | null = null;
      let rounds = 0;
      while (verdict === null) {
        if (deps.monotonicMs() >= deadline) {
          // Nothing of ours may be on the account: let a retry take over at once.
          if (!landed)
            await deps.decisions.abandon(partner, id, attempt, owner).catch(() => undefined);
          return unavailable();
        }
        try {
          const round = await decideOnce(attempt);
          rounds += 1;
          if (round === null) {
            if (rounds > 16)
              throw new Error(`the account of ${request.user_id} refused a hold its rules permit`);
            continue;
          }
          verdict = round.verdict;
          landed = round.landed;
        } catch (error) {
          if (!isRetryable(error)) throw error;
          if (error instanceof UnknownOutcomeStoreError) {
            // The debit may have landed: redo it only under a new attempt, so the journal gives
            // the first one back if it did.
            const next = attempt + 1;
            const taken = await persistently(() =>
              deps.decisions.takeOver(partner, id, attempt, {
                owner,
                attempt: next,
                lease_until: leaseUntil(),
              }),
            );
            if (taken === null) return unavailable();
            if (taken.kind === 'taken') {
              const existing = taken.existing;
              const ours =
                existing.state === 'CLAIMED' &&
                existing.claim.owner === owner &&
                existing.claim.attempt === next;
              if (!ours) {
                // The journal decided our attempt (its debit had landed), or a retry took over.
                if (existing.state === 'DECIDED' && existing.attempt === attempt) {
                  return { type: 'decided', decision: toDecision(existing.record), replay: false };
                }
                const step = await settleTaken(existing);
                if (step.kind === 'answer') return step.outcome;
                attempt = step.attempt;
                continue;
              }
            }
            attempt = next;
            continue;
          }
          throttled += 1;
          await deps.sleep(fullJitterDelay(Math.min(throttled, 16), policy, deps.random));
        }
      }

      const decided = verdict;
      const finalized = await persistently(() =>
        deps.decisions.finalize(partner, id, attempt, decided),
      );
      // A landed hold whose finalize could not be written is finalized by the journal.
      if (finalized === null) return unavailable();
      if (finalized.kind === 'decided') {
        return { type: 'decided', decision: toDecision(finalized.record), replay: false };
      }
      const existing = finalized.existing;
      if (existing === null) throw new Error(`the claim on ${id} vanished`);
      if (existing.state === 'DECIDED' && existing.attempt === attempt) {
        // The journal (or our own retried call) recorded this attempt's verdict first.
        return { type: 'decided', decision: toDecision(existing.record), replay: false };
      }
      // Taken over while we decided: the new attempt's decision is the answer (our hold, if any, is released).
      const step = await settleTaken(existing);
      if (step.kind === 'answer') return step.outcome;
      return commit(step.attempt);
    };

    const claim: TransactionClaim = {
      transaction_id: id,
      user_id: request.user_id,
      amount: request.amount,
      ...(request.currency !== undefined ? { currency: request.currency } : {}),
      ...(subject.callback_url !== undefined ? { callback_url: subject.callback_url } : {}),
      partner_id: partner,
      fingerprint: subject.fingerprint,
      owner,
      attempt: 1,
      lease_until: leaseUntil(),
    };
    const step = await onClaimOutcome(await persistently(() => deps.decisions.claim(claim)), 1);
    if (step.kind === 'answer') return step.outcome;
    return commit(step.attempt);
  };
};
