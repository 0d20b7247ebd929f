import { pause } from '../client.js';
import type { OpKind } from '../types.js';

/** Aurora is unavailable for a window (a failover, a paused cluster); traffic goes on meanwhile. */
interface AuroraOutageData {
  readonly ms: number;
}

export const auroraOutageKind: OpKind<AuroraOutageData> = {
  kind: 'aurora-outage',
  weight: (context) => (context.profile.auroraOutagesPer1000 / 1000) * 100,
  generate(context, random) {
    const ms = random.int(200, 1500);
    return {
      data: { ms },
      partner: context.partners[0]?.id ?? '',
      describe: `Aurora unavailable for ${ms} ms`,
    };
  },
  async execute({ ms }, env, op) {
    if (env.aurora.down) return;
    env.aurora.down = true;
    env.injector.note('aurora-outage', `window of ${ms} ms`, `op${op}`, op);
    env.trace.add(op, ['aurora'], `Aurora goes down for ${ms} ms`);
    await pause(ms);
    env.aurora.down = false;
    env.trace.add(op, ['aurora'], 'Aurora is back');
  },
};
