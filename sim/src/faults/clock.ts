import type { Clock } from '@creditline/domain';

/** The system's clock in the simulation: real time plus an offset that the workload can jump. */
export interface SimClock extends Clock {
  jump(ms: number): void;
  readonly offsetMs: number;
}

export const createSimClock = (): SimClock => {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    jump(ms) {
      offset += ms;
    },
    get offsetMs() {
      return offset;
    },
  };
};
