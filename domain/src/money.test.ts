import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addCents,
  DEFAULT_MAX_CENTS,
  formatMoney,
  parseMoney,
  type MoneyErrorCode,
} from './money.js';

/** The largest amount `parseMoney` can represent: 15 digits of cents. */
const FIFTEEN_NINES = 999_999_999_999_999;

describe('parseMoney', () => {
  it.each<[unknown, number]>([
    ['0.01', 1],
    ['12', 1200],
    ['12.3', 1230],
    ['12.34', 1234],
    [12.34, 1234],
    [0.1, 10],
    [7, 700],
    ['007.10', 710],
    [' 12.34 ', 1234],
    ['\t5\r\n', 500],
    ['1000000000.00', DEFAULT_MAX_CENTS],
  ])('reads %j as %i cents', (input, cents) => {
    // Act
    const result = parseMoney(input);

    // Assess
    expect(result).toEqual({ ok: true, value: cents });
  });

  it.each<[unknown, MoneyErrorCode]>([
    ['', 'EMPTY'],
    [' ', 'EMPTY'],
    ['1e3', 'INVALID_FORMAT'],
    [1e21, 'INVALID_FORMAT'],
    [1e-7, 'INVALID_FORMAT'],
    ['1,000.00', 'INVALID_FORMAT'],
    ['1 000', 'INVALID_FORMAT'],
    ['+5', 'INVALID_FORMAT'],
    ['abc', 'INVALID_FORMAT'],
    ['.5', 'INVALID_FORMAT'],
    ['5.', 'INVALID_FORMAT'],
    ['0x10', 'INVALID_FORMAT'],
    ['NaN', 'INVALID_FORMAT'],
    ['１２', 'INVALID_FORMAT'],
    [NaN, 'INVALID_FORMAT'],
    [Infinity, 'INVALID_FORMAT'],
    [-Infinity, 'INVALID_FORMAT'],
    [null, 'INVALID_FORMAT'],
    [undefined, 'INVALID_FORMAT'],
    [true, 'INVALID_FORMAT'],
    [{ amount: 5 }, 'INVALID_FORMAT'],
    ['12.345', 'TOO_MANY_DECIMALS'],
    [0.001, 'TOO_MANY_DECIMALS'],
    [1.005, 'TOO_MANY_DECIMALS'],
    [0.1 + 0.2, 'TOO_MANY_DECIMALS'],
    ['-5', 'NEGATIVE'],
    [-0.5, 'NEGATIVE'],
    ['-99999999999999999999', 'NEGATIVE'],
    ['0', 'ZERO'],
    ['0.00', 'ZERO'],
    ['-0', 'ZERO'],
    [0, 'ZERO'],
    [-0, 'ZERO'],
    ['1000000000.01', 'OUT_OF_RANGE'],
    ['99999999999999999999', 'OUT_OF_RANGE'],
    [Number.MAX_SAFE_INTEGER, 'OUT_OF_RANGE'],
  ])('refuses %j with %s', (input, code) => {
    // Act
    const result = parseMoney(input);

    // Assess
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it('honours the options: negative, zero and a lower maximum', () => {
    // Prepare
    const signed = { allowNegative: true, allowZero: true };

    // Act
    const results = [
      parseMoney('-5.25', signed),
      parseMoney('-0', signed),
      parseMoney('0', signed),
      parseMoney('100.00', { maxCents: 10_000 }),
      parseMoney('100.01', { maxCents: 10_000 }),
    ];

    // Assess
    expect(results).toEqual([
      { ok: true, value: -525 },
      { ok: true, value: 0 },
      { ok: true, value: 0 },
      { ok: true, value: 10_000 },
      {
        ok: false,
        error: { code: 'OUT_OF_RANGE', message: 'amount "100.01" exceeds the maximum 100.00' },
      },
    ]);
  });

  it('cuts a long input short in its message', () => {
    // Prepare
    const garbage = 'x'.repeat(10_000);

    // Act
    const result = parseMoney(garbage);

    // Assess
    expect(result.ok ? '' : result.error.message).toBe(
      `amount "${'x'.repeat(37)}..." is not a plain decimal number`,
    );
  });

  it('round-trips formatMoney for every cents value', () => {
    fc.assert(
      fc.property(fc.integer({ min: -FIFTEEN_NINES, max: FIFTEEN_NINES }), (cents) => {
        // Act
        const parsed = parseMoney(formatMoney(cents), {
          allowNegative: true,
          allowZero: true,
          maxCents: FIFTEEN_NINES,
        });

        // Assess
        expect(parsed).toEqual({ ok: true, value: cents });
      }),
    );
  });

  it('reads a generated decimal string as the integer its digits spell', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{1,16}(\.\d{1,2})?$/), (text) => {
        // Prepare: the exact value, computed with bigints from the digits themselves.
        const [whole = '', fraction = ''] = text.split('.');
        const exact = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0'));

        // Act
        const parsed = parseMoney(text, { allowZero: true, maxCents: FIFTEEN_NINES });

        // Assess
        if (exact <= BigInt(FIFTEEN_NINES))
          expect(parsed).toEqual({ ok: true, value: Number(exact) });
        else expect(parsed).toMatchObject({ ok: false, error: { code: 'OUT_OF_RANGE' } });
      }),
    );
  });

  it('reads a JSON number of whole cents divided by 100 exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: FIFTEEN_NINES }), (cents) => {
        // Act
        const parsed = parseMoney(cents / 100, { maxCents: FIFTEEN_NINES });

        // Assess
        expect(parsed).toEqual({ ok: true, value: cents });
      }),
    );
  });

  it('never returns a non-integer, whatever it is given', () => {
    const anyInput = fc.oneof(
      fc.string(),
      fc.stringMatching(/^-?\d{0,18}(\.\d{0,4})?$/),
      fc.double(),
      fc.integer(),
      fc.constantFrom(null, undefined, true, {}, []),
    );
    fc.assert(
      fc.property(anyInput, fc.boolean(), (input, signed) => {
        // Act
        const parsed = parseMoney(input, { allowNegative: signed, allowZero: signed });

        // Assess
        if (parsed.ok) {
          expect(Number.isSafeInteger(parsed.value)).toBe(true);
          if (!signed) expect(parsed.value).toBeGreaterThan(0);
          expect(Math.abs(parsed.value)).toBeLessThanOrEqual(DEFAULT_MAX_CENTS);
        }
      }),
    );
  });
});

describe('formatMoney', () => {
  it.each<[number, string]>([
    [1234, '12.34'],
    [5, '0.05'],
    [100, '1.00'],
    [0, '0.00'],
    [-5, '-0.05'],
    [-123_456, '-1234.56'],
  ])('formats %i as %s', (cents, text) => {
    // Act
    const formatted = formatMoney(cents);

    // Assess
    expect(formatted).toBe(text);
  });

  it.each([1.5, NaN, Infinity, 2 ** 53])(
    'throws on %d, which is not an amount of cents (a bug)',
    (cents) => {
      // Act
      const format = (): string => formatMoney(cents);

      // Assess
      expect(format).toThrow(RangeError);
    },
  );
});

describe('addCents', () => {
  it('adds integer cents', () => {
    // Act
    const sum = addCents(1234, -34);

    // Assess
    expect(sum).toBe(1200);
  });

  it('throws when the sum leaves the exact integer range', () => {
    // Act
    const overflow = (): number => addCents(Number.MAX_SAFE_INTEGER, 1);

    // Assess
    expect(overflow).toThrow('amount overflow');
  });
});
