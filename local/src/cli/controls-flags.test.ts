import { describe, expect, it } from 'vitest';
import { mergeLimits, parseLimitFlag } from './controls-flags.js';

describe('--limit INTERVAL:AMOUNT[:COUNT]', () => {
  it.each([
    ['daily:50.00', { interval: 'daily', limit: { interval: 'daily', max_amount: '50.00' } }],
    ['weekly:200:20', { interval: 'weekly', limit: { interval: 'weekly', max_amount: '200', max_count: 20 } }],
    ['rolling_24h::5', { interval: 'rolling_24h', limit: { interval: 'rolling_24h', max_count: 5 } }],
    ['lifetime:none', { interval: 'lifetime', limit: null }],
  ])('%s', (flag, expected) => {
    expect(parseLimitFlag(flag)).toEqual(expected);
  });

  it.each([
    ['hourly:1.00', /INTERVAL one of daily, weekly, monthly, rolling_24h, lifetime/],
    ['daily', /give an amount, a count or both/],
    ['daily:', /give an amount, a count or both/],
    ['daily:1.234', /decimal such as 50.00/],
    ['daily:-1', /decimal such as 50.00/],
    ['daily:1:0', /positive whole number/],
    ['daily:1:2:3', /INTERVAL:AMOUNT\[:COUNT\]/],
  ])('refuses %s', (flag, message) => {
    expect(() => parseLimitFlag(flag)).toThrow(message);
  });

  it('applies the flags over the current limits (cents back to decimals), in interval order', () => {
    const current = [
      { interval: 'monthly' as const, max_amount: 100_000 },
      { interval: 'daily' as const, max_amount: 5_005, max_count: 3 },
    ];
    expect(mergeLimits(current, ['weekly:20.00', 'monthly:none', 'daily::9'])).toEqual([
      { interval: 'daily', max_count: 9 },
      { interval: 'weekly', max_amount: '20.00' },
    ]);
    expect(mergeLimits(current, [])).toEqual([
      { interval: 'daily', max_amount: '50.05', max_count: 3 },
      { interval: 'monthly', max_amount: '1000.00' },
    ]);
  });
});
