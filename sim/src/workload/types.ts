import type { Trace } from '../checker/trace.js';
import type { Violation } from '../checker/verdicts.js';
import type { SimClock } from '../faults/clock.js';
import type { FaultProfile } from '../faults/profile.js';
import type { Injector } from '../faults/scope.js';
import type { AuroraSwitch } from '../faults/sql.js';
import type { ModelState } from '../model/state.js';
import type { Random } from '../random.js';
import type { SimPartner } from '../system/partners.js';
import type { System } from '../system/system.js';
import type { WebhookReceiver } from '../system/webhook-receiver.js';
import type { GenerationContext } from './generation-context.js';

/** What an operation runs against: the system, the model it feeds, and where it reports. */
export interface OpEnv {
  readonly system: System;
  readonly model: ModelState;
  readonly trace: Trace;
  readonly injector: Injector;
  readonly profile: FaultProfile;
  readonly aurora: AuroraSwitch;
  readonly clock: SimClock;
  readonly receiver: WebhookReceiver;
  readonly partner: (id: string) => SimPartner;
  report(violations: readonly Violation[]): void;
  /** Counts one completed authorization, deposit file, read... (for the summary). */
  count(what: string): void;
}

/** One generated operation: its data is fixed by the seed; `run` executes it. */
export interface Op {
  readonly index: number;
  readonly kind: string;
  readonly partner: string;
  /** Operations that must have finished before this one starts. */
  readonly after: readonly number[];
  readonly describe: string;
  run(env: OpEnv): Promise<void>;
}

/**
 * An operation kind: how to generate one (from the seeded stream and what was generated before)
 * and how to run it. Registering a kind (registry.ts) is all it takes to add one.
 */
export interface OpKind<Data> {
  readonly kind: string;
  /** Relative weight in the mix; 0 leaves the kind out. */
  weight(context: GenerationContext): number;
  generate(
    context: GenerationContext,
    random: Random,
    index: number,
  ):
    | {
        readonly data: Data;
        readonly partner: string;
        readonly after?: readonly number[];
        readonly describe: string;
      }
    | undefined;
  execute(data: Data, env: OpEnv, index: number): Promise<void>;
}
