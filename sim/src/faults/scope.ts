import { AsyncLocalStorage } from 'node:async_hooks';
import type { Random } from '../random.js';
import type { FaultKind, FaultLog } from './fault-log.js';

/**
 * One invocation of the code under test (an HTTP request, an SQS batch, a deposit file event),
 * as the fault injectors see it: its own seeded stream of fault draws, the store calls made so
 * far, and whether it was "killed" (the process died between two store calls: every later store
 * call of this invocation fails, and the invoker discards whatever it answers).
 */
export interface FaultScope {
  readonly label: string;
  readonly op: number | undefined;
  readonly random: Random;
  /** The store call before which the invocation dies (1-based), or undefined. */
  readonly killAt: number | undefined;
  calls: number;
  killed: boolean;
  faults: number;
}

/** Thrown into the code under test when its invocation is killed: nothing may catch its way past it. */
export class SimKilled extends Error {
  constructor(readonly scope: string) {
    super(`invocation ${scope} was killed`);
    this.name = 'SimKilled';
  }
}

const storage = new AsyncLocalStorage<FaultScope>();

export const currentScope = (): FaultScope | undefined => storage.getStore();

export interface ScopeOptions {
  readonly label: string;
  readonly op?: number;
  readonly random: Random;
  readonly killProbability: number;
}

export const openScope = (options: ScopeOptions): FaultScope => {
  // Draw the kill first so that it never depends on how many calls the invocation makes.
  const kill = options.random.chance(options.killProbability);
  const killAt = kill ? options.random.int(1, 6) : undefined;
  return {
    label: options.label,
    op: options.op,
    random: options.random,
    killAt,
    calls: 0,
    killed: false,
    faults: 0,
  };
};

export const runInScope = <T>(scope: FaultScope, work: () => Promise<T>): Promise<T> =>
  storage.run(scope, work);

/**
 * The injectors' shared decisions: before each store call, count it and apply a pending kill;
 * then draw whether a fault of a kind happens.
 */
export interface Injector {
  readonly log: FaultLog;
  /** Off during setup and the final phase: nothing is injected then. */
  enabled: boolean;
  /** Call before every store call; throws SimKilled when the invocation is (or becomes) dead. */
  beforeStoreCall(what: string): void;
  /** Draws a fault of `kind` with `probability` in the current scope (never outside one). */
  draw(kind: FaultKind, probability: number, detail: string): boolean;
  /** Records a fault decided elsewhere (an outage window, a clock jump, a receiver's behaviour). */
  note(kind: FaultKind, detail: string, scope?: string, op?: number): void;
}

export const createInjector = (log: FaultLog): Injector => ({
  log,
  enabled: false,
  beforeStoreCall(what) {
    const scope = currentScope();
    if (!scope) return;
    if (scope.killed) throw new SimKilled(scope.label);
    scope.calls += 1;
    if (this.enabled && scope.killAt !== undefined && scope.calls >= scope.killAt) {
      scope.killed = true;
      scope.faults += 1;
      log.record({
        kind: 'kill',
        scope: scope.label,
        detail: `before store call ${scope.calls} (${what})`,
        ...(scope.op !== undefined ? { op: scope.op } : {}),
      });
      throw new SimKilled(scope.label);
    }
  },
  draw(kind, probability, detail) {
    const scope = currentScope();
    if (!this.enabled || !scope || probability <= 0) return false;
    if (!scope.random.chance(probability)) return false;
    scope.faults += 1;
    log.record({
      kind,
      scope: scope.label,
      detail,
      ...(scope.op !== undefined ? { op: scope.op } : {}),
    });
    return true;
  },
  note(kind, detail, scope, op) {
    log.record({ kind, scope: scope ?? 'system', detail, ...(op !== undefined ? { op } : {}) });
  },
});
