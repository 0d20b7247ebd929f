import { describe, expect, it } from 'vitest';
import { mapHeader } from './header.js';

describe('mapHeader', () => {
  it.each<[string, string[], Record<string, number>]>([
    [
      'the documented order',
      ['user_id', 'amount', 'deposit_id', 'timestamp'],
      { user_id: 0, amount: 1, deposit_id: 2, timestamp: 3 },
    ],
    [
      'any order',
      ['timestamp', 'deposit_id', 'amount', 'user_id'],
      { user_id: 3, amount: 2, deposit_id: 1, timestamp: 0 },
    ],
    [
      'a BOM, padding, upper case and a CRLF leftover',
      ['\uFEFFUser_ID', ' AMOUNT ', 'Deposit_Id', 'timestamp\r'],
      { user_id: 0, amount: 1, deposit_id: 2, timestamp: 3 },
    ],
  ])('maps %s', (_case, fields, index) => {
    // Act
    const header = mapHeader(fields);

    // Assess
    expect(header).toEqual({ ok: true, value: { index, extraColumns: [] } });
  });

  it('allows unknown columns, reports them as written, and ignores blank ones', () => {
    // Act
    const header = mapHeader([
      'user_id',
      'Memo',
      'amount',
      'deposit_id',
      '',
      'timestamp',
      ' branch ',
      '',
    ]);

    // Assess
    expect(header).toEqual({
      ok: true,
      value: {
        index: { user_id: 0, amount: 2, deposit_id: 3, timestamp: 5 },
        extraColumns: ['Memo', 'branch'],
      },
    });
  });

  it('names every missing column', () => {
    // Act
    const header = mapHeader(['user_id', 'amount_usd', 'timestamp']);

    // Assess
    expect(header).toEqual({
      ok: false,
      error: {
        reason: 'MISSING_COLUMN',
        missing: ['amount', 'deposit_id'],
        duplicates: [],
        message:
          'bad header: missing column(s): amount, deposit_id (required: user_id, amount, deposit_id, timestamp)',
      },
    });
  });

  it('refuses a duplicated column, even in another case, and reports it first', () => {
    // Act
    const header = mapHeader(['user_id', 'amount', 'AMOUNT', 'timestamp', 'note', 'note']);

    // Assess
    expect(header).toMatchObject({
      ok: false,
      error: {
        reason: 'DUPLICATE_COLUMN',
        duplicates: ['amount', 'note'],
        missing: ['deposit_id'],
      },
    });
  });

  it('drops a stray BOM wherever it is, like any white space', () => {
    // Act
    const header = mapHeader(['user_id', '\uFEFFamount', 'deposit_id', 'timestamp']);

    // Assess
    expect(header).toMatchObject({ ok: true, value: { index: { amount: 1 } } });
  });

  it('treats an empty record as a header missing everything', () => {
    // Act
    const header = mapHeader([]);

    // Assess
    expect(header).toMatchObject({
      ok: false,
      error: { missing: ['user_id', 'amount', 'deposit_id', 'timestamp'] },
    });
  });
});
