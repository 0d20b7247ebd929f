import { txEntity, userEntity, type Violation } from '../../checker/verdicts.js';
import {
  accountOf,
  key,
  lowerAvailable,
  sum,
  upperAvailable,
  type Answer,
  type ModelState,
  type TransactionBody,
  type TransactionState,
} from '../state.js';

/**
 * Authorizations: one decision per (partner, transaction_id), whatever the retries; a PERMIT is
 * a hold of its amount, never beyond the credit; a REJECT for lack of credit only when the
 * credit may really have been short; a different body under a used id is a conflict (409).
 */
export const transactionOf = (
  state: ModelState,
  partner: string,
  id: string,
  body: TransactionBody,
): TransactionState => {
  const k = key(partner, id);
  let transaction = state.transactions.get(k);
  if (!transaction) {
    transaction = { partner, id, body, answers: [], inFlight: 0, stored: undefined };
    state.transactions.set(k, transaction);
  }
  return transaction;
};

export const sameBody = (a: TransactionBody, b: TransactionBody): boolean =>
  a.user === b.user &&
  a.amount === b.amount &&
  a.currency === b.currency &&
  a.callback === b.callback;

/** A request leaves the client: until it is answered, a hold of its amount may exist. */
export const attemptStarted = (state: ModelState, transaction: TransactionState): void => {
  transaction.inFlight += 1;
  const account = accountOf(state, transaction.partner, transaction.body.user);
  if (!account.holds.has(transaction.id))
    account.maybeHolds.set(transaction.id, transaction.body.amount);
};

/** A request ended without a decision (a 5xx, a timeout): the hold stays possible until known. */
export const attemptEnded = (transaction: TransactionState): void => {
  transaction.inFlight = Math.max(0, transaction.inFlight - 1);
};

export interface AnswerContext {
  /** Credits known landed when the request first left the client. */
  readonly creditedAtStart: number;
}

export const decisionAnswered = (
  state: ModelState,
  transaction: TransactionState,
  answer: Answer,
  context: AnswerContext,
): Violation[] => {
  const violations: Violation[] = [];
  const { partner, id, body } = transaction;
  const entities = [txEntity(partner, id), userEntity(partner, body.user)];
  const account = accountOf(state, partner, body.user);
  const first = transaction.answers[0];
  transaction.answers.push(answer);
  if (answer.amount !== body.amount) {
    violations.push({
      kind: 'inconsistent-answer',
      op: answer.op,
      entities,
      message: `${partner}/${id}: answered for amount ${answer.amount}, the request said ${body.amount}`,
    });
  }
  if (first && (first.status !== answer.status || first.reason !== answer.reason)) {
    violations.push({
      kind: 'inconsistent-answer',
      op: answer.op,
      entities,
      message: `${partner}/${id}: two answers for one id: ${first.status}${first.reason ? ` ${first.reason}` : ''} (op #${first.op}) then ${answer.status}${answer.reason ? ` ${answer.reason}` : ''}`,
    });
  }
  if (answer.status === 'PERMITTED') {
    if (answer.remaining !== undefined && answer.remaining < 0) {
      violations.push({
        kind: 'overspend',
        op: answer.op,
        entities,
        message: `${partner}/${id}: PERMITTED with remaining_credit ${answer.remaining} < 0`,
      });
    }
    if (!account.holds.has(id)) {
      account.holds.set(id, body.amount);
      account.maybeHolds.delete(id);
      const beyond = -upperAvailable(account);
      if (beyond > 0) {
        violations.push({
          kind: 'overspend',
          op: answer.op,
          entities: [userEntity(partner, body.user)],
          message: `${partner}/${body.user}: holds permitted ${sum(account.holds.values())} exceed every credit that may have landed (${account.credited + sum(account.creditInFlight.values())}) by ${beyond}`,
        });
      }
    }
  } else {
    if (!account.holds.has(id)) account.maybeHolds.delete(id);
    if (answer.reason === 'INSUFFICIENT_FUNDS' || answer.reason === 'INSUFFICIENT_CREDIT') {
      const least =
        Math.min(context.creditedAtStart, account.credited) -
        (account.credited - lowerAvailable(account, id));
      if (least >= body.amount) {
        violations.push({
          kind: 'wrong-rejection',
          op: answer.op,
          entities,
          message: `${partner}/${id}: REJECTED ${answer.reason} for ${body.amount}, yet at least ${least} was available throughout`,
        });
      }
    }
    if (answer.reason === 'UNKNOWN_USER' && context.creditedAtStart > 0) {
      violations.push({
        kind: 'wrong-rejection',
        op: answer.op,
        entities,
        message: `${partner}/${id}: REJECTED UNKNOWN_USER, yet ${body.user} had ${context.creditedAtStart} credited before the request`,
      });
    }
  }
  return violations;
};

/** The final read of a transaction: what is stored must be what was answered. */
export const decisionStored = (
  state: ModelState,
  transaction: TransactionState,
  stored: Answer | null,
): Violation[] => {
  const { partner, id, body } = transaction;
  const entities = [txEntity(partner, id), userEntity(partner, body.user)];
  const account = accountOf(state, partner, body.user);
  transaction.stored = stored;
  const violations: Violation[] = [];
  const answered = transaction.answers[0];
  if (stored === null) {
    if (answered)
      violations.push({
        kind: 'lost-decision',
        entities,
        message: `${partner}/${id}: answered ${answered.status} (op #${answered.op}) but no decision is stored`,
      });
    account.maybeHolds.delete(id);
    return violations;
  }
  if (answered && (answered.status !== stored.status || answered.amount !== stored.amount)) {
    violations.push({
      kind: 'inconsistent-answer',
      entities,
      message: `${partner}/${id}: answered ${answered.status} ${answered.amount} (op #${answered.op}), stored ${stored.status} ${stored.amount}`,
    });
  }
  account.maybeHolds.delete(id);
  if (stored.status === 'PERMITTED') account.holds.set(id, stored.amount);
  return violations;
};
