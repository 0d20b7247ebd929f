import type { OpKind } from '../types.js';

/** The system's clock jumps: forward by minutes to days (windows roll, holds age), or back a little. */
interface ClockJumpData {
  readonly ms: number;
}

export const clockJumpKind: OpKind<ClockJumpData> = {
  kind: 'clock-jump',
  weight: (context) => (context.profile.clockJumpsPer1000 / 1000) * 100,
  generate(context, random) {
    const ms = random.chance(0.2)
      ? -random.int(1, 30) * 1000
      : random.pick([5 * 60_000, 3_600_000, 6 * 3_600_000, 86_400_000, 2 * 86_400_000]);
    return {
      data: { ms },
      partner: context.partners[0]?.id ?? '',
      describe: `clock jumps ${ms > 0 ? '+' : ''}${ms / 1000}s`,
    };
  },
  execute({ ms }, env, op) {
    env.clock.jump(ms);
    env.injector.note('clock-jump', `${ms} ms`, `op${op}`, op);
    env.trace.add(
      op,
      ['clock'],
      `clock jumps ${ms / 1000}s (offset now ${env.clock.offsetMs / 1000}s)`,
    );
    return Promise.resolve();
  },
};
