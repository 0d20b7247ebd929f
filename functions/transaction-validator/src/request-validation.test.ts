import { describe, expect, it } from 'vitest';
import { validateTransactionRequest } from './request-validation.js';

const valid = {
  transaction_id: 'tx-1',
  user_id: 'u-1',
  amount: '12.50',
  currency: 'USD',
  callback_url: 'https://hooks.acme.example/cb',
};

describe('validateTransactionRequest', () => {
  it('accepts a valid request and reads its amount as cents', () => {
    expect(validateTransactionRequest(valid)).toEqual({
      kind: 'valid',
      request: { ...valid, amount: 1250 },
    });
  });

  it.each([
    ['a negative amount', '-1.00', 'NEGATIVE'],
    ['a zero amount', '0.00', 'ZERO'],
    ['three decimals', '1.005', 'TOO_MANY_DECIMALS'],
    ['an exponent', '1e3', 'INVALID_FORMAT'],
    ['an empty amount', '', 'EMPTY'],
    ['an amount beyond the maximum', '1000000000.01', 'OUT_OF_RANGE'],
  ])(
    'tells an otherwise valid request with %s apart, with the money reason',
    (_name, amount, reason) => {
      // Act
      const result = validateTransactionRequest({ ...valid, amount });

      // Assess
      expect(result).toEqual({
        kind: 'invalid-amount',
        request: { ...valid, amount },
        details: [{ path: 'amount', message: expect.any(String) as string, reason }],
      });
    },
  );

  it('names missing fields as required', () => {
    // Act
    const result = validateTransactionRequest({ amount: '1.00' });

    // Assess
    expect(result).toEqual({
      kind: 'invalid',
      details: [
        { path: 'transaction_id', message: 'is required' },
        { path: 'user_id', message: 'is required' },
      ],
    });
  });

  it('calls a request with only its amount missing an invalid amount', () => {
    const withoutAmount: Partial<typeof valid> = { ...valid };
    delete withoutAmount.amount;
    expect(validateTransactionRequest(withoutAmount)).toEqual({
      kind: 'invalid-amount',
      request: withoutAmount,
      details: [{ path: 'amount', message: 'is required' }],
    });
  });

  it.each([
    [
      'a bad amount and a bad id',
      { ...valid, amount: '-1', transaction_id: 'no spaces allowed' },
      ['transaction_id', 'amount'],
    ],
    [
      'a bad amount and a bad callback',
      { ...valid, amount: '-1', callback_url: 'ftp://x.example' },
      ['amount', 'callback_url'],
    ],
    ['an unknown field', { ...valid, note: 'hi' }, ['(body)']],
    ['a lower-case currency', { ...valid, currency: 'usd' }, ['currency']],
    ['an array', [valid], ['(body)']],
    ['null', null, ['(body)']],
  ])('refuses %s as invalid, listing every problem', (_name, body, paths) => {
    // Act
    const result = validateTransactionRequest(body);

    // Assess
    expect(result.kind).toBe('invalid');
    expect('details' in result ? result.details.map((detail) => detail.path) : []).toEqual(paths);
  });
});
