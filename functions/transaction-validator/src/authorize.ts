import {
  decide,
  err,
  ok,
  type Result,
  type ApiErrorDetail,
  type AuthorizationRequest,
  type Clock,
  type CreditAccount,
  type CreditAccountBooks,
  type CreditAccountCache,
  type Decision,
  type DecisionLog,
  type DecisionRecord,
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
  readonly retry: RetryPolicy;
  /** Uniform in [0, 1): the jitter between attempts. */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
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
}

export type AuthorizeOutcome =
  | { readonly type: 'decided'; readonly decision: Decision; readonly replay: boolean }
  | { readonly type: 'invalid'; readonly details: readonly ApiErrorDetail[] }
  | { readonly type: 'invalid-callback-url'; readonly message: string }
  | { readonly type: 'duplicate'; readonly transaction_id: string }
  | { readonly type: 'unavailable'; readonly retryAfterSeconds: number };

export type Authorize = (command: AuthorizeCommand) => Promise<AuthorizeOutcome>;

/** What is decided and recorded for one request, fixed before the first attempt. */
interface Subject {
  readonly request: AuthorizationRequest;
  readonly callback_url: string | undefined;
  readonly partner_id: string;
  readonly fingerprint: string;
  /** Refused at the door whatever the account says (an event's callback_url the partner may not use). */
  readonly refusal: 'INVALID_CALLBACK_URL' | null;
}

type SubjectRefusal =
  | { readonly type: 'invalid'; readonly details: readonly ApiErrorDetail[] }
  | { readonly type: 'invalid-callback-url'; readonly message: string };

const toSubject = (
  command: AuthorizeCommand,
  checkCallback: AuthorizeDependencies['checkCallbackUrl'],
): Result<Subject, SubjectRefusal> => {
  const validation = validateTransactionRequest(command.body);
  if (validation.kind === 'invalid') return err({ type: 'invalid', details: validation.details });
  if (validation.kind === 'invalid-amount' && command.onInvalidAmount === 'refuse') {
    return err({ type: 'invalid', details: validation.details });
  }
  const { transaction_id, user_id, currency } = validation.request;
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
    refusal: callbackProblem === null ? null : 'INVALID_CALLBACK_URL',
  });
};

const toDecision = (record: DecisionRecord): Decision => ({
  transaction_id: record.transaction_id,
  user_id: record.user_id,
  amount: record.amount,
  ...(record.currency !== undefined ? { currency: record.currency } : {}),
  status: record.status,
  reason: record.reason,
  remaining_credit: record.remaining_credit,
  decided_at: record.decided_at,
});

/**
 * Authorizes one transaction: validate, read the account (consistently), decide, and commit
 * the decision with its hold in one conditional write. The commit's conditions make the
 * decision safe, not the read: a decision is recorded only against the version it read, and
 * only once per transaction_id. So a race is never a wrong answer, only another attempt, a
 * replay, a conflict, or (attempts spent) a 503.
 */
export const createAuthorize = (deps: AuthorizeDependencies): Authorize => {
  const loadAccount = async (partnerId: string, userId: string): Promise<CreditAccount | null> => {
    const cached = await deps.accounts.read(partnerId, userId);
    if (cached !== null) return cached;
    const booked = await deps.books.find(partnerId, userId);
    if (booked === null) return null;
    if ((await deps.accounts.seed(partnerId, booked)) === 'seeded') return booked;
    // Another request seeded it first and may have placed a hold since: read what it wrote.
    return (await deps.accounts.read(partnerId, userId)) ?? booked;
  };

  /** The id is taken: the same request gets the stored decision, any other a conflict. */
  const answerTakenId = async (subject: Subject): Promise<AuthorizeOutcome | null> => {
    const stored = await deps.decisions.find(subject.partner_id, subject.request.transaction_id);
    if (stored === null) return null;
    if (stored.fingerprint === subject.fingerprint) {
      return { type: 'decided', decision: toDecision(stored), replay: true };
    }
    return { type: 'duplicate', transaction_id: subject.request.transaction_id };
  };

  return async (command) => {
    const validated = toSubject(command, deps.checkCallbackUrl);
    if (!validated.ok) return validated.error;
    const subject = validated.value;
    const { request } = subject;
    for (let attempt = 1; ; attempt += 1) {
      const account = await loadAccount(subject.partner_id, request.user_id);
      const decided = decide(request, account, deps.clock.now());
      const decision: Decision =
        subject.refusal === null
          ? decided
          : {
              ...decided,
              status: 'REJECTED',
              reason: subject.refusal,
              remaining_credit: Math.max(account?.available ?? 0, 0),
            };
      const record: DecisionRecord = {
        ...decision,
        ...(subject.callback_url !== undefined ? { callback_url: subject.callback_url } : {}),
        partner_id: subject.partner_id,
        fingerprint: subject.fingerprint,
      };
      const hold =
        decision.status === 'PERMITTED' && account !== null
          ? { user_id: request.user_id, amount: request.amount, expected_version: account.version }
          : null;
      const outcome = await deps.decisions.commit(record, hold);
      if (outcome === 'committed') return { type: 'decided', decision, replay: false };
      if (outcome === 'duplicate') {
        const answer = await answerTakenId(subject);
        if (answer !== null) return answer;
      }
      if (attempt >= deps.retry.maxAttempts)
        return { type: 'unavailable', retryAfterSeconds: deps.retry.retryAfterSeconds };
      await deps.sleep(fullJitterDelay(attempt, deps.retry, deps.random));
    }
  };
};
