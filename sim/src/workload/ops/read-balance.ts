import { userEntity } from '../../checker/verdicts.js';
import { balanceBounds, balanceRead } from '../../model/rules/reads.js';
import { errorCodeOf, send } from '../client.js';
import type { OpKind } from '../types.js';

/** GET /v1/users/{id}/balance: checked against the bounds the model allows at that moment. */
interface ReadBalanceData {
  readonly partner: string;
  readonly user: string;
}

export const readBalanceKind: OpKind<ReadBalanceData> = {
  kind: 'read-balance',
  weight: () => 10,
  generate(context, random) {
    const partner = random.pick(context.partners).id;
    const user = random.chance(0.4) ? random.pick(context.hotUsers) : random.pick(context.users);
    return { data: { partner, user }, partner, describe: `balance ${partner}/${user}` };
  },
  async execute({ partner, user }, env, op) {
    const entities = [userEntity(partner, user)];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const atStart = balanceBounds(env.model, partner, user);
      const sent = await send(env, {
        op,
        attempt: `balance:${attempt}`,
        partner: env.partner(partner),
        method: 'GET',
        path: `/v1/users/${user}/balance`,
        entities,
        valid: true,
      });
      const atEnd = balanceBounds(env.model, partner, user);
      if (sent.status === 200) {
        const available = (sent.body as { available?: unknown }).available;
        if (typeof available !== 'number') {
          env.report([
            {
              kind: 'inconsistent-read',
              op,
              entities,
              message: `${partner}/${user}: balance without a numeric available: ${JSON.stringify(sent.body)}`,
            },
          ]);
          return;
        }
        env.report(balanceRead(op, partner, user, available, atStart, atEnd));
        env.count('balance reads');
        return;
      }
      if (sent.status === 404 && errorCodeOf(sent.body) === 'NOT_FOUND') {
        env.report(balanceRead(op, partner, user, null, atStart, atEnd));
        return;
      }
      if (sent.status !== 'no-answer' && sent.status < 500) {
        env.report([
          {
            kind: 'inconsistent-read',
            op,
            entities,
            message: `${partner}/${user}: balance answered ${sent.status} ${JSON.stringify(sent.body)}`,
          },
        ]);
        return;
      }
    }
  },
};
