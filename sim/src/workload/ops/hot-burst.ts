import { accountOf, type TransactionBody } from '../../model/state.js';
import type { OpKind } from '../types.js';
import { chain, withReceiver, type AuthorizeData } from './authorize.js';

/**
 * A burst on one hot user: 6 to 12 different authorizations at once (a business's cards, a
 * pooled account), near or past the end of its credit. Together they must never pass it.
 */
interface HotBurstData {
  readonly partner: string;
  readonly user: string;
  readonly requests: readonly { readonly id: string; readonly body: TransactionBody }[];
}

export const hotBurstKind: OpKind<HotBurstData> = {
  kind: 'hot-burst',
  weight: () => 3,
  generate(context, random, index) {
    const partner = random.pick(context.partners).id;
    const user = random.pick(context.hotUsers);
    const requests = Array.from({ length: random.int(6, 12) }, () => {
      const id = `tx-${String(context.nextTransaction).padStart(6, '0')}`;
      context.nextTransaction += 1;
      context.transactions.push({ op: index, partner, id, user });
      const body: TransactionBody = {
        user,
        amount: random.int(200, 1500),
        ...(random.chance(0.3) ? { callback: `__receiver__/${partner}` } : {}),
      };
      return { id, body };
    });
    return {
      data: { partner, user, requests },
      partner,
      describe: `burst of ${requests.length} on ${partner}/${user}`,
    };
  },
  async execute(data, env, op) {
    const creditedAtStart = accountOf(env.model, data.partner, data.user).credited;
    await Promise.all(
      data.requests.map((request, lane) => {
        const authorize: AuthorizeData = {
          partner: data.partner,
          id: request.id,
          body: withReceiver(request.body, data.partner, env),
          concurrent: 1,
          replay: false,
          reuseWithOtherAmount: false,
        };
        return chain(env, op, authorize, lane + 1, creditedAtStart);
      }),
    );
    env.count('hot bursts');
  },
};
