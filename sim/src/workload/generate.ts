import type { Random } from '../random.js';
import type { GenerationContext } from './generation-context.js';
import { opKinds } from './registry.js';
import type { Op } from './types.js';

/**
 * The workload: `count` operations drawn from the seed alone. Each operation draws from its own
 * forked stream, so the n-th operation is the same whatever the mix's weights before it.
 */
export const generateWorkload = (
  random: Random,
  context: GenerationContext,
  count: number,
): Op[] => {
  const ops: Op[] = [];
  for (let index = 0; index < count; index += 1) {
    let kind: (typeof opKinds)[number] | undefined;
    let generated: ReturnType<(typeof opKinds)[number]['generate']>;
    for (let tries = 0; generated === undefined; tries += 1) {
      const stream = random.fork(`op:${index}:${tries}`);
      // The first operations are deposit files, so the users have credit to spend.
      kind =
        index < 2 * context.partners.length
          ? opKinds[0]
          : stream.weighted(
              opKinds.map((candidate) => [candidate, candidate.weight(context)] as const),
            );
      generated = kind?.generate(context, stream, index);
    }
    if (!kind) continue;
    const last = context.transactions.at(-1);
    if (last?.op === -1)
      context.transactions[context.transactions.length - 1] = { ...last, op: index };
    ops.push({
      index,
      kind: kind.kind,
      partner: generated.partner,
      after: generated.after ?? [],
      describe: generated.describe,
      run: (env) => kind.execute(generated.data, env, index),
    });
  }
  return ops;
};
