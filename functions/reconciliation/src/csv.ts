import { csvCell } from '@creditline/adapters/csv/csv-cell';

/** One report line: RFC 4180 cells, partner text neutralised against spreadsheet formulas. */
export const csvLine = (fields: readonly (string | number | null | undefined)[]): string =>
  `${fields.map(csvCell).join(',')}\r\n`;
