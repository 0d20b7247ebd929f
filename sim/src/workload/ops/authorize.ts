import { txEntity, userEntity } from '../../checker/verdicts.js';
import {
  attemptEnded,
  attemptStarted,
  decisionAnswered,
  transactionOf,
} from '../../model/rules/authorizations.js';
import { accountOf, type Answer, type TransactionBody } from '../../model/state.js';
import { errorCodeOf, pause, send, type Sent } from '../client.js';
import type { OpEnv, OpKind } from '../types.js';

/**
 * An authorization as a partner's client sends it: POST /v1/transactions, retried on a 5xx or
 * no answer (same id, same body), sometimes sent two or three times at once (a client that
 * retries too eagerly), sometimes followed by a replay, or by the same id with another amount
 * (which must be a 409, never a second effect).
 */
export interface AuthorizeData {
  readonly partner: string;
  readonly id: string;
  readonly body: TransactionBody;
  readonly concurrent: number;
  readonly replay: boolean;
  readonly reuseWithOtherAmount: boolean;
}

const MAX_ATTEMPTS = 8;

export const requestBody = (id: string, body: TransactionBody): Record<string, unknown> => ({
  transaction_id: id,
  user_id: body.user,
  amount: (body.amount / 100).toFixed(2),
  ...(body.currency ? { currency: body.currency } : {}),
  ...(body.callback ? { callback_url: body.callback } : {}),
});

const decisionOf = (op: number, sent: Sent, amount: number): Answer | undefined => {
  if (sent.status !== 200) return undefined;
  const body = sent.body as { status?: unknown; reason?: unknown; remaining_credit?: unknown };
  if (body.status !== 'PERMITTED' && body.status !== 'REJECTED') return undefined;
  return {
    op,
    status: body.status,
    reason: typeof body.reason === 'string' ? body.reason : undefined,
    amount,
    remaining: typeof body.remaining_credit === 'number' ? body.remaining_credit : undefined,
  };
};

/** One client's attempts under one id until it gets a decision (or gives up). */
export const chain = async (
  env: OpEnv,
  op: number,
  data: AuthorizeData,
  lane: number,
  creditedAtStart: number,
): Promise<Answer | undefined> => {
  const partner = env.partner(data.partner);
  const transaction = transactionOf(env.model, data.partner, data.id, data.body);
  const entities = [txEntity(data.partner, data.id), userEntity(data.partner, data.body.user)];
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
    attemptStarted(env.model, transaction);
    const sent = await send(env, {
      op,
      attempt: `authorize:${lane}:${attempt}`,
      partner,
      method: 'POST',
      path: '/v1/transactions',
      body: requestBody(data.id, data.body),
      entities,
      valid: true,
    });
    attemptEnded(transaction);
    const answer = decisionOf(op, sent, data.body.amount);
    if (answer) {
      env.report(decisionAnswered(env.model, transaction, answer, { creditedAtStart }));
      return answer;
    }
    if (sent.status === 409) {
      env.report([
        {
          kind: 'inconsistent-answer',
          op,
          entities,
          message: `${data.partner}/${data.id}: 409 ${errorCodeOf(sent.body) ?? ''} for the id's one and only body`,
        },
      ]);
      return undefined;
    }
    if (sent.status !== 'no-answer' && sent.status < 500 && sent.status !== 429) {
      env.report([
        {
          kind: 'inconsistent-answer',
          op,
          entities,
          message: `${data.partner}/${data.id}: a valid request was answered ${sent.status} ${JSON.stringify(sent.body)}`,
        },
      ]);
      return undefined;
    }
    await pause(Math.min(200, 5 * 2 ** attempt));
  }
  env.trace.add(
    op,
    entities,
    `${data.partner}/${data.id}: client gave up after ${MAX_ATTEMPTS} attempts (outcome left to the final read)`,
  );
  return undefined;
};

/** The generated callback placeholder, pointed at the run's receiver. */
export const withReceiver = (
  body: TransactionBody,
  partner: string,
  env: OpEnv,
): TransactionBody => (body.callback ? { ...body, callback: env.receiver.urlFor(partner) } : body);

export const authorizeKind: OpKind<AuthorizeData> = {
  kind: 'authorize',
  weight: () => 62,
  generate(context, random) {
    const partner = random.pick(context.partners).id;
    const hot = random.chance(0.35);
    const user = hot
      ? random.pick(context.hotUsers)
      : random.chance(0.03)
        ? `ghost-${random.int(1, 5)}`
        : random.pick(context.users);
    const amount = hot ? random.int(100, 1500) : random.int(100, 6000);
    const number = context.nextTransaction;
    context.nextTransaction += 1;
    // With tenancy, partners use the same ids on purpose: ids are unique per partner only.
    const id = `tx-${String(number).padStart(6, '0')}`;
    const callback = random.chance(0.5) ? `__receiver__/${partner}` : undefined;
    const body: TransactionBody = {
      user,
      amount,
      ...(random.chance(0.2) ? { currency: 'USD' } : {}),
      ...(callback ? { callback } : {}),
    };
    context.transactions.push({ op: -1, partner, id, user });
    const concurrent = random.chance(0.12) ? random.int(2, 3) : 1;
    const data: AuthorizeData = {
      partner,
      id,
      body,
      concurrent,
      replay: random.chance(0.08),
      reuseWithOtherAmount: random.chance(0.06),
    };
    return {
      data,
      partner,
      describe: `authorize ${partner}/${id} ${user} ${amount}${concurrent > 1 ? ` ×${concurrent} at once` : ''}${data.replay ? ' +replay' : ''}${data.reuseWithOtherAmount ? ' +reuse' : ''}`,
    };
  },
  async execute(data, env, op) {
    const body = withReceiver(data.body, data.partner, env);
    const resolved: AuthorizeData = { ...data, body };
    const creditedAtStart = accountOf(env.model, data.partner, body.user).credited;
    const lanes = Array.from({ length: data.concurrent }, (_, lane) =>
      chain(env, op, resolved, lane + 1, creditedAtStart),
    );
    const answers = await Promise.all(lanes);
    env.count('authorizations');
    const decided = answers.find((answer) => answer !== undefined);
    if (decided === undefined) return;
    const partner = env.partner(data.partner);
    const entities = [txEntity(data.partner, data.id), userEntity(data.partner, body.user)];
    if (data.replay) await chain(env, op, resolved, 9, creditedAtStart);
    if (data.reuseWithOtherAmount) {
      const other = { ...body, amount: body.amount + 1 };
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
        const sent = await send(env, {
          op,
          attempt: `reuse:${attempt}`,
          partner,
          method: 'POST',
          path: '/v1/transactions',
          body: requestBody(data.id, other),
          entities,
          valid: true,
        });
        if (sent.status === 'no-answer' || sent.status >= 500 || sent.status === 429) {
          await pause(10 * attempt);
          continue;
        }
        if (sent.status !== 409 || errorCodeOf(sent.body) !== 'DUPLICATE_TRANSACTION_ID') {
          env.report([
            {
              kind: 'inconsistent-answer',
              op,
              entities,
              message: `${data.partner}/${data.id}: reused with another amount, answered ${sent.status} ${JSON.stringify(sent.body)} instead of 409 DUPLICATE_TRANSACTION_ID`,
            },
          ]);
        }
        break;
      }
    }
  },
};
