import { txEntity, userEntity } from '../../checker/verdicts.js';
import { key } from '../../model/state.js';
import { send } from '../client.js';
import type { OpKind } from '../types.js';

/**
 * A partner asks for what is another's: a transaction id only the other used, or a user only
 * the other has. Either must look exactly like nothing (404 NOT_FOUND), never the other's data.
 * Only with tenancy on main (ids shared on purpose otherwise make this meaningless).
 */
interface ProbeData {
  readonly partner: string;
  readonly owner: string;
  readonly transaction?: string;
  readonly user?: string;
}

export const crossTenantProbeKind: OpKind<ProbeData> = {
  kind: 'cross-tenant-probe',
  weight: (context) =>
    context.capabilities.tenancy && context.partners.length > 1 && context.transactions.length > 0
      ? 4
      : 0,
  generate(context, random) {
    const owner = random.pick(context.partners).id;
    const others = context.partners.filter((partner) => partner.id !== owner);
    const partner = random.pick(others).id;
    if (random.chance(0.5)) {
      const theirs = context.transactions
        .filter((transaction) => transaction.partner === owner)
        .slice(-100);
      if (theirs.length === 0) return undefined;
      const { id } = random.pick(theirs);
      return {
        data: { partner, owner, transaction: id },
        partner,
        describe: `${partner} probes ${owner}'s ${id}`,
      };
    }
    const user = `${owner}-vip-${random.int(1, 2)}`;
    return {
      data: { partner, owner, user },
      partner,
      describe: `${partner} probes ${owner}'s user ${user}`,
    };
  },
  async execute(data, env, op) {
    const path = data.transaction
      ? `/v1/transactions/${data.transaction}`
      : `/v1/users/${data.user ?? ''}/balance`;
    // Ids are shared on purpose: a probe is meaningful only for an id the prober never used itself.
    if (data.transaction && env.model.transactions.has(key(data.partner, data.transaction))) return;
    const entities = data.transaction
      ? [txEntity(data.owner, data.transaction)]
      : [userEntity(data.owner, data.user ?? '')];
    for (let attempt = 1; attempt <= 5; attempt += 1) {
      const sent = await send(env, {
        op,
        attempt: `probe:${attempt}`,
        partner: env.partner(data.partner),
        method: 'GET',
        path,
        entities,
        valid: true,
      });
      if (sent.status === 'no-answer' || sent.status >= 500) continue;
      if (sent.status !== 404)
        env.report([
          {
            kind: 'cross-tenant-leak',
            op,
            entities,
            message: `${data.partner} GET ${path} (${data.owner}'s) answered ${sent.status} ${JSON.stringify(sent.body)}`,
          },
        ]);
      env.count('cross-tenant probes');
      return;
    }
  },
};
