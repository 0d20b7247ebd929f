import type { AccountControls, VelocityLimit } from './controls.js';
import type { ControlledAccountState } from './commit-plan.js';
import { noUsage, type VelocityUsage } from './usage.js';

/** Test helpers shared by the controls tests (not exported from the package). */
export const controls = (overrides: Partial<AccountControls> = {}): AccountControls => ({
  status: 'ACTIVE',
  currency: 'USD',
  max_per_transaction: null,
  velocity_limits: [],
  balance_monitors: [],
  ...overrides,
});

export const limits = (...list: VelocityLimit[]): Partial<AccountControls> => ({ velocity_limits: list });

export const account = (
  overrides: Partial<Omit<ControlledAccountState, 'usage'>> & { usage?: Partial<VelocityUsage> } = {},
): ControlledAccountState => ({
  controls: overrides.controls ?? controls(),
  available: overrides.available ?? 1_000_000,
  controls_version: overrides.controls_version ?? 1,
  usage: { ...noUsage, ...overrides.usage },
});
