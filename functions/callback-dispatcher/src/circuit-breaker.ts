import type { Clock } from '@creditline/domain';

/**
 * One circuit breaker per endpoint (partner + URL), per container. After `failureThreshold`
 * failures in a row the circuit opens: for `openMs` no request goes to that endpoint, its
 * deliveries are rescheduled without being sent, so a dead or hanging endpoint stops taking
 * the dispatcher's time from everyone else's. Then one probe is let through (half-open): a
 * success closes the circuit, a failure opens it again for twice as long (up to `maxOpenMs`).
 *
 * It is also a bulkhead: at most `maxInFlight` requests to one endpoint at a time, so an
 * endpoint that hangs holds at most that many of the container's concurrent sends (and, in
 * the local runtime, of its pollers) while its first timeouts are still running; the rest of
 * its deliveries are deferred at once instead of queueing behind it.
 *
 * State is in memory on purpose: it is a fast local reflex, rebuilt by a few failures in a
 * new container, and costs no write per attempt. What must survive (an endpoint disabled
 * after 410 or days of failure) is on the endpoint record instead.
 */
export interface BreakerSettings {
  readonly failureThreshold: number;
  readonly openMs: number;
  readonly maxOpenMs: number;
  readonly maxInFlight: number;
}

export const defaultBreakerSettings: BreakerSettings = { failureThreshold: 3, openMs: 30_000, maxOpenMs: 10 * 60_000, maxInFlight: 2 };

export type BreakerVerdict = { readonly allow: true } | { readonly allow: false; readonly retryAt: Date };

export interface CircuitBreakers {
  /**
   * Whether a request may go to `endpoint` now; a `true` in half-open state is the one probe.
   * Every `allow: true` must be followed by exactly one of succeeded, failed or release.
   */
  check(endpoint: string): BreakerVerdict;
  succeeded(endpoint: string): void;
  failed(endpoint: string): void;
  /** A request `check` allowed was not sent after all: a half-open probe may go again. */
  release(endpoint: string): void;
}

interface Circuit {
  failures: number;
  openUntil: number;
  openFor: number;
  probing: boolean;
  inFlight: number;
}

export const createCircuitBreakers = (clock: Clock, settings: BreakerSettings = defaultBreakerSettings): CircuitBreakers => {
  const circuits = new Map<string, Circuit>();
  const circuitOf = (endpoint: string): Circuit => {
    let circuit = circuits.get(endpoint);
    if (!circuit) {
      circuit = { failures: 0, openUntil: 0, openFor: settings.openMs, probing: false, inFlight: 0 };
      circuits.set(endpoint, circuit);
    }
    return circuit;
  };
  return {
    check(endpoint) {
      const circuit = circuitOf(endpoint);
      const now = clock.now().getTime();
      if (circuit.inFlight >= settings.maxInFlight) return { allow: false, retryAt: new Date(now + 1000) };
      if (circuit.failures >= settings.failureThreshold) {
        if (now < circuit.openUntil || circuit.probing) return { allow: false, retryAt: new Date(Math.max(circuit.openUntil, now + 1000)) };
        circuit.probing = true;
      }
      circuit.inFlight += 1;
      return { allow: true };
    },
    succeeded(endpoint) {
      const circuit = circuitOf(endpoint);
      circuit.inFlight = Math.max(0, circuit.inFlight - 1);
      circuit.failures = 0;
      circuit.probing = false;
      circuit.openFor = settings.openMs;
    },
    failed(endpoint) {
      const circuit = circuitOf(endpoint);
      circuit.inFlight = Math.max(0, circuit.inFlight - 1);
      const wasProbe = circuit.probing;
      circuit.probing = false;
      circuit.failures += 1;
      if (circuit.failures < settings.failureThreshold) return;
      if (wasProbe) circuit.openFor = Math.min(circuit.openFor * 2, settings.maxOpenMs);
      circuit.openUntil = clock.now().getTime() + circuit.openFor;
    },
    release(endpoint) {
      const circuit = circuitOf(endpoint);
      circuit.inFlight = Math.max(0, circuit.inFlight - 1);
      circuit.probing = false;
    },
  };
};
