import { describe, expect, it } from 'vitest';
import { holdExpiryPolicySchema } from '../contracts/lifecycle.js';
import { resolveHoldExpiry } from './hold-expiry.js';

const now = new Date('2026-03-01T12:00:00.000Z');
const policy = holdExpiryPolicySchema.parse({});

describe('resolveHoldExpiry', () => {
  it('defaults to the partner default, 7 days unless the stack file says otherwise', () => {
    expect(resolveHoldExpiry(now, undefined, policy)).toEqual({
      ok: true,
      value: '2026-03-08T12:00:00.000Z',
    });
    expect(
      resolveHoldExpiry(now, undefined, holdExpiryPolicySchema.parse({ default_seconds: 3600 })),
    ).toEqual({
      ok: true,
      value: '2026-03-01T13:00:00.000Z',
    });
  });

  it.each([
    ['the earliest bound (10 s)', '2026-03-01T12:00:10.000Z', '2026-03-01T12:00:10.000Z'],
    ['the latest bound (31 days)', '2026-04-01T12:00:00.000Z', '2026-04-01T12:00:00.000Z'],
    ['an offset, normalised to UTC', '2026-03-01T14:00:30+02:00', '2026-03-01T12:00:30.000Z'],
  ])('accepts %s', (_case, requested, resolved) => {
    expect(resolveHoldExpiry(now, requested, policy)).toEqual({ ok: true, value: resolved });
  });

  it.each([
    ['before the earliest bound', '2026-03-01T12:00:09.999Z'],
    ['after the latest bound', '2026-04-01T12:00:00.001Z'],
    ['in the past', '2026-02-28T12:00:00.000Z'],
    ['unreadable', 'next tuesday'],
  ])('refuses a hold_expires_at %s, naming the window', (_case, requested) => {
    expect(resolveHoldExpiry(now, requested, policy)).toEqual({
      ok: false,
      error: {
        code: 'HOLD_EXPIRY_OUT_OF_BOUNDS',
        message:
          'hold_expires_at must lie between 2026-03-01T12:00:10.000Z and 2026-04-01T12:00:00.000Z (10 s to 2678400 s after the authorization)',
      },
    });
  });
});
