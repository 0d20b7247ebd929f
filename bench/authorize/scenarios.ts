/** What the benchmark measures: both user populations at each concurrency. */
export interface Scenario {
  readonly population: 'many' | 'hot';
  readonly concurrency: number;
  /** Decisions per kind (handler, floor), split over four interleaved rounds each. */
  readonly requests: number;
}

export const USER_COUNT = 10_000;
export const HOT_USER = 'bench-hot';
export const userId = (index: number): string => `bench-u-${String(index).padStart(5, '0')}`;

export const scenarios: readonly Scenario[] = [
  { population: 'many', concurrency: 1, requests: 2_000 },
  { population: 'many', concurrency: 16, requests: 4_000 },
  { population: 'many', concurrency: 64, requests: 6_000 },
  { population: 'hot', concurrency: 1, requests: 1_000 },
  { population: 'hot', concurrency: 16, requests: 800 },
  { population: 'hot', concurrency: 64, requests: 1_000 },
];

/** Targets quoted by the lead. */
export const targets = { p99RatioToFloor: 1.25, decisionsPerSecondAt64ManyUsers: 500 } as const;
