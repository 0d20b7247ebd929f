import { z } from 'zod';

/** Ids from partners: printable, bounded, safe as DynamoDB keys, SQL values and URL segments. */
export const identifierSchema = z
  .string()
  .min(1, 'must not be empty')
  .max(128, 'must be at most 128 characters')
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:@-]*$/, 'may hold letters, digits and . _ : @ - only');

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

export const isoTimestampSchema = z.iso.datetime({ offset: true });
