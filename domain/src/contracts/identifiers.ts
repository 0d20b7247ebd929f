import { z } from 'zod';

/** Ids from partners: printable, bounded, safe as DynamoDB keys, SQL values and URL segments. */
export const IDENTIFIER_MAX_LENGTH = 128;
export const IDENTIFIER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]*$/;

export const identifierSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(IDENTIFIER_MAX_LENGTH, `must be at most ${IDENTIFIER_MAX_LENGTH} characters`)
  .regex(IDENTIFIER_PATTERN, 'may hold letters, digits and . _ : @ - only');

/**
 * The same rule as `identifierSchema` without zod's per-call cost, for hot paths such as the
 * 150,000 rows of a deposit file. Use the schema to say what is wrong with a refused id.
 */
export const isIdentifier = (value: string): boolean =>
  value.length >= 1 && value.length <= IDENTIFIER_MAX_LENGTH && IDENTIFIER_PATTERN.test(value);

export const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

export const isoTimestampSchema = z.iso.datetime({ offset: true });
