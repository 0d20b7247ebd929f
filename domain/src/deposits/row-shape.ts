/**
 * Problems with a record's shape rather than its values, found before the row rules run:
 * - MALFORMED_ROW: the CSV parser could not read the record (a stray or unclosed quote);
 * - WRONG_FIELD_COUNT: the record's fields do not line up with the header's columns.
 * A misaligned record is never read by position: `u1,1,000.00,d1,...` would otherwise credit
 * 0.01 where the partner meant 1,000.00.
 */
export const rowShapeReasons = ['MALFORMED_ROW', 'WRONG_FIELD_COUNT'] as const;
export type RowShapeReason = (typeof rowShapeReasons)[number];

export interface RowShapeProblem {
  readonly line: number;
  readonly reason: RowShapeReason;
  readonly message: string;
}

/** How many fields a row of this file should have: trailing blank header names do not count. */
export const headerWidth = (headerFields: readonly string[]): number => {
  let width = headerFields.length;
  while (width > 0 && (headerFields[width - 1] ?? '').trim() === '') width -= 1;
  return width;
};

/**
 * A row must have a field for every column up to `width` (an empty one is fine: the row rules
 * judge it) and nothing beyond but blank fields, which spreadsheets append.
 */
export const checkRowShape = (
  fields: readonly string[],
  width: number,
  line: number,
): RowShapeProblem | null => {
  let used = fields.length;
  while (used > width && (fields[used - 1] ?? '').trim() === '') used -= 1;
  if (used === width) return null;
  const hint =
    used > width
      ? 'a value holding a comma must be quoted, e.g. "1,000.00" (and amounts carry no separators)'
      : 'a field is missing';
  return {
    line,
    reason: 'WRONG_FIELD_COUNT',
    message: `line ${line}: ${used} fields where the header has ${width}; ${hint}`,
  };
};
