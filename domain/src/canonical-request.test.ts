import { describe, expect, it } from 'vitest';
import { canonicalRequest, type CanonicalRequestFields } from './canonical-request.js';

const base: CanonicalRequestFields = {
  transaction_id: 'tx-1',
  user_id: 'u-1',
  amount: 1230,
  currency: 'USD',
  callback_url: 'https://partner.example.com/cb',
};

describe('canonicalRequest', () => {
  it('writes the fields in a fixed order, absent ones as null', () => {
    // Act
    const full = canonicalRequest(base);
    const bare = canonicalRequest({ transaction_id: 'tx-1', user_id: 'u-1', amount: 5 });

    // Assess
    expect(full).toBe('["v1","tx-1","u-1",1230,"USD","https://partner.example.com/cb"]');
    expect(bare).toBe('["v1","tx-1","u-1",5,null,null]');
  });

  it('ignores the order the caller built the object in', () => {
    // Prepare
    const reordered: CanonicalRequestFields = {
      callback_url: 'https://partner.example.com/cb',
      currency: 'USD',
      amount: 1230,
      user_id: 'u-1',
      transaction_id: 'tx-1',
    };

    // Act / Assess
    expect(canonicalRequest(reordered)).toBe(canonicalRequest(base));
  });

  it.each<[string, Partial<CanonicalRequestFields>]>([
    ['transaction_id', { transaction_id: 'tx-2' }],
    ['user_id', { user_id: 'u-2' }],
    ['amount', { amount: 1231 }],
    ['currency', { currency: 'EUR' }],
    ['missing currency', { currency: undefined }],
    ['callback_url', { callback_url: 'https://partner.example.com/other' }],
    ['missing callback_url', { callback_url: undefined }],
    ['an invalid amount instead of cents', { amount: { as_given: 1230 } }],
  ])('tells requests apart when only %s differs', (_field, change) => {
    // Act / Assess
    expect(canonicalRequest({ ...base, ...change })).not.toBe(canonicalRequest(base));
  });

  it('cannot be fooled by separators inside values', () => {
    // Prepare: naive joining with "," or "|" would make these two equal
    const a = canonicalRequest({ transaction_id: 'a","b', user_id: 'c', amount: 1 });
    const b = canonicalRequest({ transaction_id: 'a', user_id: 'b","c', amount: 1 });

    // Assess
    expect(a).not.toBe(b);
  });

  it('keeps invalid amounts exactly as given, a missing one as null', () => {
    // Act
    const text = canonicalRequest({ ...base, amount: { as_given: '12.345' } });
    const number = canonicalRequest({ ...base, amount: { as_given: 12.345 } });
    const missing = canonicalRequest({ ...base, amount: { as_given: undefined } });

    // Assess
    expect(text).toContain('{"as_given":"12.345"}');
    expect(number).toContain('{"as_given":12.345}');
    expect(missing).toContain('{"as_given":null}');
  });
});
