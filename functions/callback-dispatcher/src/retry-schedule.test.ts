import { describe, expect, it } from 'vitest';
import { hopDelaySeconds, maxAttempts, nextAttemptDelaySeconds, retryAfterSeconds, svixSchedule } from './retry-schedule.js';

describe('retry schedule', () => {
  it('is Svix’s: 8 attempts, immediately then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, over about a day', () => {
    const delays = Array.from({ length: maxAttempts(svixSchedule) - 1 }, (_, index) => nextAttemptDelaySeconds(index + 1, svixSchedule, () => 0.5));
    expect(delays).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    expect(maxAttempts(svixSchedule)).toBe(8);
    const total = delays.reduce<number>((sum, delay) => sum + (delay ?? 0), 0);
    expect(total / 3600).toBeGreaterThan(24);
    expect(total / 3600).toBeLessThan(30);
    expect(nextAttemptDelaySeconds(8, svixSchedule, () => 0.5)).toBeUndefined();
  });

  it('jitters each delay by at most ±20 %', () => {
    expect(nextAttemptDelaySeconds(3, svixSchedule, () => 0)).toBe(1440);
    expect(nextAttemptDelaySeconds(3, svixSchedule, () => 0.999_999)).toBe(2160);
    expect(nextAttemptDelaySeconds(1, svixSchedule, () => 0)).toBe(4);
  });

  it('honours a Retry-After longer than the schedule, in seconds or as an HTTP-date, up to a day', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(retryAfterSeconds('120', now)).toBe(120);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 10:10:00 GMT', now)).toBe(600);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(nextAttemptDelaySeconds(1, svixSchedule, () => 0.5, 120)).toBe(120);
    expect(nextAttemptDelaySeconds(2, svixSchedule, () => 0.5, 120)).toBe(300);
    expect(nextAttemptDelaySeconds(1, svixSchedule, () => 0.5, 10 * 24 * 3600)).toBe(24 * 3600);
  });

  it('reaches a far attempt by hops of at most 15 minutes', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    expect(hopDelaySeconds(new Date('2026-12-01T20:00:00Z'), now)).toBe(900);
    expect(hopDelaySeconds(new Date('2026-12-01T10:00:04.200Z'), now)).toBe(5);
    expect(hopDelaySeconds(new Date('2026-12-01T09:00:00Z'), now)).toBe(0);
  });
});
