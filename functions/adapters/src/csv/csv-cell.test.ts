import { describe, expect, it } from 'vitest';
import { csvCell, neutraliseFormula } from './csv-cell.js';

describe('csvCell: safe to open in a spreadsheet (OWASP CSV injection)', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['user=1', 'user=1'],
    ['', ''],
  ])('%j → %j', (text, cell) => {
    expect(csvCell(text)).toBe(cell);
  });

  it('leaves numbers as numbers (a negative delta is still -500) and empties empty', () => {
    expect(csvCell(-500)).toBe('-500');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(neutraliseFormula('-500')).toBe("'-500");
  });
});
