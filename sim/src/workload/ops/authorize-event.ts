import { txEntity, userEntity } from '../../checker/verdicts.js';
import { attemptStarted, transactionOf } from '../../model/rules/authorizations.js';
import type { TransactionBody } from '../../model/state.js';
import { requestBody, withReceiver } from './authorize.js';
import type { OpKind } from '../types.js';

/**
 * An authorization sent as a TransactionRequested event (EventBridge delivers it at least
 * once: sometimes twice). There is no synchronous answer: the decision reaches the partner by
 * callback, and the final phase reads it back; until then the hold may or may not exist.
 */
interface AuthorizeEventData {
  readonly partner: string;
  readonly id: string;
  readonly body: TransactionBody;
  readonly deliveries: number;
}

export const authorizeEventKind: OpKind<AuthorizeEventData> = {
  kind: 'authorize-event',
  weight: () => 5,
  generate(context, random, index) {
    const partner = random.pick(context.partners).id;
    const user = random.chance(0.3) ? random.pick(context.hotUsers) : random.pick(context.users);
    const id = `tx-${String(context.nextTransaction).padStart(6, '0')}`;
    context.nextTransaction += 1;
    context.transactions.push({ op: index, partner, id, user });
    const body: TransactionBody = {
      user,
      amount: random.int(100, 3000),
      callback: `__receiver__/${partner}`,
    };
    const deliveries = random.chance(0.15) ? 2 : 1;
    return {
      data: { partner, id, body, deliveries },
      partner,
      describe: `event ${partner}/${id} ${user} ${body.amount}${deliveries > 1 ? ' delivered twice' : ''}`,
    };
  },
  async execute(data, env, op) {
    const partner = env.partner(data.partner);
    const body = withReceiver(data.body, data.partner, env);
    const transaction = transactionOf(env.model, data.partner, data.id, body);
    const entities = [txEntity(data.partner, data.id), userEntity(data.partner, body.user)];
    for (let delivery = 1; delivery <= data.deliveries; delivery += 1) {
      // The event's outcome is known only from its callback and the final read.
      attemptStarted(env.model, transaction);
      const scope = env.system.scopeFor(`op${op}:event:${delivery}`, op);
      const result = await env.system.event(
        {
          source: partner.config.eventSource,
          account: partner.accountId,
          detail: requestBody(data.id, body),
        },
        scope,
      );
      env.trace.add(
        op,
        entities,
        `event TransactionRequested ${data.partner}/${data.id} ${body.amount} (delivery ${delivery}) → ${result.kind}${scope.faults > 0 ? ` [${scope.faults} fault(s)]` : ''}`,
      );
      if (result.kind === 'crashed' && scope.faults === 0) {
        env.report([
          {
            kind: '5xx-on-valid-input',
            op,
            entities,
            message: `TransactionRequested ${data.partner}/${data.id}: the validator threw with no fault injected: ${String(result.error)}`,
          },
        ]);
      }
    }
    env.count('event authorizations');
  },
};
