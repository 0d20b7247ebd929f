import { txEntity } from '../../checker/verdicts.js';
import { key } from '../../model/state.js';
import { errorCodeOf, send } from '../client.js';
import type { OpKind } from '../types.js';

/** GET /v1/transactions/{id} of an id used earlier: what is stored must be what was answered. */
interface ReadTransactionData {
  readonly partner: string;
  readonly id: string;
}

export const readTransactionKind: OpKind<ReadTransactionData> = {
  kind: 'read-transaction',
  weight: (context) => (context.transactions.length > 0 ? 5 : 0),
  generate(context, random) {
    const mine = context.transactions.slice(-200);
    if (mine.length === 0) return undefined;
    const { partner, id } = random.pick(mine);
    return { data: { partner, id }, partner, describe: `read ${partner}/${id}` };
  },
  async execute({ partner, id }, env, op) {
    const entities = [txEntity(partner, id)];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      // Answers known before the read left: the stored decision must match them.
      const known = env.model.transactions.get(key(partner, id))?.answers[0];
      const sent = await send(env, {
        op,
        attempt: `read:${attempt}`,
        partner: env.partner(partner),
        method: 'GET',
        path: `/v1/transactions/${id}`,
        entities,
        valid: true,
      });
      if (sent.status === 200) {
        const status = (sent.body as { status?: unknown }).status;
        if (known && status !== known.status) {
          env.report([
            {
              kind: 'inconsistent-answer',
              op,
              entities,
              message: `${partner}/${id}: answered ${known.status} (op #${known.op}) but read back as ${String(status)}`,
            },
          ]);
        }
        env.count('transaction reads');
        return;
      }
      if (sent.status === 404 && errorCodeOf(sent.body) === 'NOT_FOUND') {
        if (known)
          env.report([
            {
              kind: 'lost-decision',
              op,
              entities,
              message: `${partner}/${id}: answered ${known.status} (op #${known.op}) but reads back as not found`,
            },
          ]);
        return;
      }
      if (sent.status !== 'no-answer' && sent.status < 500) {
        env.report([
          {
            kind: 'inconsistent-read',
            op,
            entities,
            message: `${partner}/${id}: read answered ${sent.status} ${JSON.stringify(sent.body)}`,
          },
        ]);
        return;
      }
    }
  },
};
