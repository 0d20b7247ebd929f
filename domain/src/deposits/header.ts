import { excerpt } from '../excerpt.js';
import { err, ok, type Result } from '../result.js';

/** The columns a deposit file must have, in any order. */
export const depositColumns = ['user_id', 'amount', 'deposit_id', 'timestamp'] as const;
export type DepositColumn = (typeof depositColumns)[number];

/** Where each required column sits in a row, and what else the file carries. */
export interface DepositHeader {
  readonly index: Readonly<Record<DepositColumn, number>>;
  /** Unknown, non-blank column names as written (trimmed, cut short): allowed, ignored, worth a mention. */
  readonly extraColumns: readonly string[];
}

export const headerProblemReasons = ['DUPLICATE_COLUMN', 'MISSING_COLUMN'] as const;
export type HeaderProblemReason = (typeof headerProblemReasons)[number];

/** A header the file cannot be read with. Both lists are filled so one message can say it all. */
export interface HeaderProblem {
  readonly reason: HeaderProblemReason;
  readonly message: string;
  readonly missing: readonly DepositColumn[];
  readonly duplicates: readonly string[];
}

const isDepositColumn = (name: string): name is DepositColumn =>
  (depositColumns as readonly string[]).includes(name);

/**
 * Maps the first record of a deposit file. Names are trimmed and compared case-insensitively.
 * Trimming also drops the "\r" a CRLF file can leave on the last name and the UTF-8 BOM on the
 * first (ECMAScript counts U+FEFF as white space). A duplicated name is a problem even for an unknown column: which copy is meant is a guess.
 * Blank names (a trailing comma) are ignored altogether.
 */
export const mapHeader = (fields: readonly string[]): Result<DepositHeader, HeaderProblem> => {
  const index: Partial<Record<DepositColumn, number>> = {};
  const seen = new Set<string>();
  const duplicates: string[] = [];
  const extraColumns: string[] = [];
  fields.forEach((field, position) => {
    const written = field.trim();
    if (written === '') return;
    const name = written.toLowerCase();
    if (seen.has(name)) {
      if (!duplicates.includes(name)) duplicates.push(excerpt(name));
      return;
    }
    seen.add(name);
    if (isDepositColumn(name)) index[name] = position;
    else extraColumns.push(excerpt(written));
  });
  const { user_id, amount, deposit_id, timestamp } = index;
  if (
    duplicates.length === 0 &&
    user_id !== undefined &&
    amount !== undefined &&
    deposit_id !== undefined &&
    timestamp !== undefined
  ) {
    return ok({ index: { user_id, amount, deposit_id, timestamp }, extraColumns });
  }
  const missing = depositColumns.filter((column) => index[column] === undefined);
  const parts = [
    ...(duplicates.length > 0 ? [`duplicate column(s): ${duplicates.join(', ')}`] : []),
    ...(missing.length > 0 ? [`missing column(s): ${missing.join(', ')}`] : []),
  ];
  return err({
    reason: duplicates.length > 0 ? 'DUPLICATE_COLUMN' : 'MISSING_COLUMN',
    message: `bad header: ${parts.join('; ')} (required: ${depositColumns.join(', ')})`,
    missing,
    duplicates,
  });
};
