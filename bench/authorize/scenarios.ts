/** What the benchmark measures: both user populations at each concurrency. */
export interface Scenario {
  readonly population: 'many' | 'hot';
  readonly concurrency: number;
  /** Operations per kind (handler, each floor), split over interleaved rounds. */
  readonly requests: number;
}

export const USER_COUNT = 10_000;
export const HOT_USER = 'bench-hot';
export const userId = (index: number): string => `bench-u-${String(index).padStart(5, '0')}`;

/** Every decision asks 0.01, so a user with N cents of credit is permitted exactly N times. */
export const AMOUNT_CENTS = 1;

export const scenarios: readonly Scenario[] = [
  { population: 'many', concurrency: 16, requests: 800 },
  { population: 'many', concurrency: 64, requests: 1_600 },
  { population: 'many', concurrency: 200, requests: 2_000 },
  { population: 'hot', concurrency: 16, requests: 800 },
  { population: 'hot', concurrency: 64, requests: 1_600 },
  { population: 'hot', concurrency: 200, requests: 2_000 },
];

export const populationLabel = (
  population: Scenario['population'],
): '10,000 users' | '1 hot user' => (population === 'many' ? '10,000 users' : '1 hot user');

/** Targets of issue 13. */
export const targets = {
  /** Hot user at concurrency 64 and 200: decisions/s ≥ this × many users' at the same concurrency. */
  hotToManyRatio: 0.8,
  /** Many users at concurrency 64: decisions/s ≥ this × the floor of the same calls issued bare. */
  manyToFloorAt64: 0.95,
} as const;
