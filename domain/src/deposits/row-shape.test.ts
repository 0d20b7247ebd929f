import { describe, expect, it } from 'vitest';
import { checkRowShape, headerWidth } from './row-shape.js';

describe('headerWidth', () => {
  it.each([
    { header: ['user_id', 'amount', 'deposit_id', 'timestamp'], width: 4 },
    { header: ['user_id', 'amount', 'deposit_id', 'timestamp', ''], width: 4 },
    { header: ['user_id', 'amount', 'deposit_id', 'timestamp', ' ', ''], width: 4 },
    { header: ['user_id', '', 'amount', 'deposit_id', 'timestamp'], width: 5 },
    { header: [''], width: 0 },
  ])('$header is $width wide', ({ header, width }) => {
    expect(headerWidth(header)).toBe(width);
  });
});

describe('checkRowShape', () => {
  it.each([
    { fields: ['u1', '10.00', 'd1', 'ts'], problem: null },
    { fields: ['u1', '', 'd1', 'ts'], problem: null },
    { fields: ['u1', '10.00', 'd1', 'ts', ''], problem: null },
    { fields: ['u1', '10.00', 'd1', 'ts', ' ', ''], problem: null },
    {
      fields: ['u1', '1', '000.00', 'd1', 'ts'],
      problem: 'line 7: 5 fields where the header has 4; a value holding a comma must be quoted',
    },
    {
      fields: ['u1', '10.00', 'd1', 'ts', 'note'],
      problem: 'line 7: 5 fields where the header has 4',
    },
    {
      fields: ['u1', '10.00', 'd1'],
      problem: 'line 7: 3 fields where the header has 4; a field is missing',
    },
  ])('$fields against a 4-column header: $problem', ({ fields, problem }) => {
    // Act
    const found = checkRowShape(fields, 4, 7);

    // Assess
    if (problem === null) {
      expect(found).toBeNull();
    } else {
      expect(found).toMatchObject({ line: 7, reason: 'WRONG_FIELD_COUNT' });
      expect(found?.message).toContain(problem);
    }
  });
});
