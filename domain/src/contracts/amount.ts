import { z } from 'zod';
import { parseMoney, type Cents } from '../money.js';

/** A positive amount given as a decimal string or JSON number, parsed to integer cents. */
export const amountSchema = z.union([z.string(), z.number()]).transform((value, ctx): Cents => {
  const parsed = parseMoney(value);
  if (parsed.ok) return parsed.value;
  ctx.addIssue({
    code: 'custom',
    message: parsed.error.message,
    params: { reason: parsed.error.code },
  });
  return z.NEVER;
});

/** Integer cents, as stored and published (events carry cents, never decimals). */
export const centsSchema = z.number().int().refine(Number.isSafeInteger, 'must be a safe integer');
