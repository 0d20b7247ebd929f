import { describe, expect, it } from 'vitest';
import { createCircuitBreakers } from './circuit-breaker.js';

describe('per-endpoint circuit breaker', () => {
  const setup = () => {
    let now = Date.parse('2026-12-01T10:00:00Z');
    const breakers = createCircuitBreakers({ now: () => new Date(now) }, { failureThreshold: 3, openMs: 30_000, maxOpenMs: 120_000, maxInFlight: 2 });
    return { breakers, advance: (ms: number) => (now += ms) };
  };

  it('opens after 3 failures in a row for that endpoint only', () => {
    const { breakers } = setup();
    for (let index = 0; index < 3; index += 1) {
      expect(breakers.check('a').allow).toBe(true);
      breakers.failed('a');
    }
    expect(breakers.check('a')).toEqual({ allow: false, retryAt: new Date('2026-12-01T10:00:30Z') });
    expect(breakers.check('b').allow).toBe(true);
  });

  it('lets one probe through when the open period ends; a failed probe opens it twice as long, a success closes it', () => {
    const { breakers, advance } = setup();
    for (let index = 0; index < 3; index += 1) breakers.failed('a');
    advance(30_000);
    expect(breakers.check('a').allow).toBe(true);
    expect(breakers.check('a').allow).toBe(false); // the probe is in flight
    breakers.failed('a');
    advance(59_000);
    expect(breakers.check('a').allow).toBe(false);
    advance(1_000);
    expect(breakers.check('a').allow).toBe(true);
    breakers.succeeded('a');
    expect(breakers.check('a').allow).toBe(true);
    breakers.failed('a');
    expect(breakers.check('a').allow).toBe(true);
  });

  it('lets at most 2 requests be in flight to one endpoint, whatever their outcome', () => {
    const { breakers } = setup();
    expect([breakers.check('a').allow, breakers.check('a').allow, breakers.check('a').allow]).toEqual([true, true, false]);
    expect(breakers.check('b').allow).toBe(true);
    breakers.release('a');
    expect(breakers.check('a').allow).toBe(true);
  });

  it('a success in between resets the streak', () => {
    const { breakers } = setup();
    breakers.failed('a');
    breakers.failed('a');
    breakers.succeeded('a');
    breakers.failed('a');
    expect(breakers.check('a').allow).toBe(true);
  });
});
