import {
  accountStatusSchema,
  centsSchema,
  currencySchema,
  MAX_VELOCITY_AMOUNT,
  MAX_VELOCITY_COUNT,
  PermanentStoreError,
  ROLLING_CLOSED_BUCKETS,
  velocityIntervals,
  type AccountControls,
  type CalendarUsage,
  type RollingUsage,
  type StoredControls,
  type VelocityInterval,
  type VelocityLimit,
  type VelocityUsage,
  type WindowTally,
} from '@creditline/domain';
import { z } from 'zod';

/**
 * The controls and the velocity tallies on the account item (CreditCache), next to the credit
 * the hold commits on, so one conditional write checks them all. Names are short where they
 * repeat: the whole item must stay ≤ 1 KB so every decision costs one write unit.
 *
 * | attribute | meaning |
 * |---|---|
 * | `account_status`, `currency`, `per_transaction_limit` | status, currency, max per transaction (absent: ACTIVE, USD, none) |
 * | `vl` | velocity limits: map of `d` daily, `w` weekly, `m` monthly, `r` rolling 24 h, `l` lifetime → `{a: max amount, c: max count}` |
 * | `bm` | balance monitors: list of thresholds on `available` (cents) |
 * | `cv` | controls version, as in the books (absent: never set, the program defaults apply) |
 * | `ud` `uda` `udc` | daily window: day number since the epoch (UTC), amount, count |
 * | `uw` `uwa` `uwc` | weekly window: ISO week number since the epoch's week, amount, count |
 * | `um` `uma` `umc` | monthly window: months since 1970-01, amount, count |
 * | `uh` `uha` `uhc` | rolling 24 h, open bucket: hour since the epoch, amount, count |
 * | `uhp` | rolling 24 h, the 24 closed hours: binary, 48 unsigned LEB128 varints (amounts, then counts), saturated at the largest limit |
 * | `ula` `ulc` | lifetime amount and count |
 */
export const controlAttributes = {
  status: 'account_status',
  currency: 'currency',
  maxPerTransaction: 'per_transaction_limit',
  limits: 'vl',
  monitors: 'bm',
  version: 'cv',
} as const;

export const calendarAttributes = {
  daily: { start: 'ud', amount: 'uda', count: 'udc' },
  weekly: { start: 'uw', amount: 'uwa', count: 'uwc' },
  monthly: { start: 'um', amount: 'uma', count: 'umc' },
} as const;
export const rollingAttributes = { hour: 'uh', amount: 'uha', count: 'uhc', past: 'uhp' } as const;
export const lifetimeAttributes = { amount: 'ula', count: 'ulc' } as const;

// --- the closed rolling buckets, packed ------------------------------------------------------

const writeVarint = (bytes: number[], value: number): void => {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`not a tally: ${value}`);
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
};

/**
 * 24 amounts and 24 counts as varints: 48 bytes when idle, at most 240. Each is saturated at the
 * largest limit its measure can have (MAX_VELOCITY_AMOUNT, MAX_VELOCITY_COUNT, five bytes each):
 * an hour that held more breaks every limit either way, so no check changes, and a release that
 * gives back to a saturated hour leaves it at least as full as it truly is (conservative).
 */
export const packClosedBuckets = (amounts: readonly number[], counts: readonly number[]): Uint8Array => {
  const bytes: number[] = [];
  for (const value of amounts) writeVarint(bytes, Math.min(value, MAX_VELOCITY_AMOUNT));
  for (const value of counts) writeVarint(bytes, Math.min(value, MAX_VELOCITY_COUNT));
  return Uint8Array.from(bytes);
};

export const unpackClosedBuckets = (packed: Uint8Array): { amounts: number[]; counts: number[] } => {
  const values: number[] = [];
  let value = 0;
  let scale = 1;
  for (const byte of packed) {
    value += (byte & 0x7f) * scale;
    if (byte & 0x80) {
      scale *= 0x80;
    } else {
      values.push(value);
      value = 0;
      scale = 1;
    }
  }
  if (values.length !== 2 * ROLLING_CLOSED_BUCKETS || scale !== 1) throw new RangeError('malformed rolling buckets');
  return { amounts: values.slice(0, ROLLING_CLOSED_BUCKETS), counts: values.slice(ROLLING_CLOSED_BUCKETS) };
};

// --- reading ---------------------------------------------------------------------------------

const tally = z.number().int().nonnegative();
/** Interval codes in the `vl` map. */
const intervalCodes = { daily: 'd', weekly: 'w', monthly: 'm', rolling_24h: 'r', lifetime: 'l' } as const satisfies Record<VelocityInterval, string>;

const limitsMapSchema = z.partialRecord(
  z.enum(['d', 'w', 'm', 'r', 'l']),
  z.object({ a: centsSchema.optional(), c: z.number().int().positive().optional() }),
);

/** The controls and tallies of an account item; attributes a deposit-created item lacks take defaults. */
export const controlledItemSchema = z.object({
  available: centsSchema,
  account_status: accountStatusSchema.default('ACTIVE'),
  currency: currencySchema.default('USD'),
  per_transaction_limit: centsSchema.nullable().default(null),
  vl: limitsMapSchema.default({}),
  bm: z.array(centsSchema).default([]),
  cv: z.number().int().nonnegative().default(0),
  ud: z.number().int().optional(),
  uda: tally.default(0),
  udc: tally.default(0),
  uw: z.number().int().optional(),
  uwa: tally.default(0),
  uwc: tally.default(0),
  um: z.number().int().optional(),
  uma: tally.default(0),
  umc: tally.default(0),
  uh: z.number().int().optional(),
  uha: tally.default(0),
  uhc: tally.default(0),
  uhp: z.instanceof(Uint8Array).optional(),
  ula: tally.optional(),
  ulc: tally.default(0),
});

export interface ControlledItem {
  readonly available: number;
  readonly stored: StoredControls;
  readonly usage: VelocityUsage;
}

const calendar = (start: number | undefined, amount: number, count: number): CalendarUsage | null =>
  start === undefined ? null : { start, amount, count };

export const limitsFromMap = (map: z.infer<typeof limitsMapSchema>): VelocityLimit[] =>
  velocityIntervals.flatMap((interval) => {
    const limit = map[intervalCodes[interval]];
    if (limit === undefined || (limit.a === undefined && limit.c === undefined)) return [];
    return [{ interval, ...(limit.a !== undefined ? { max_amount: limit.a } : {}), ...(limit.c !== undefined ? { max_count: limit.c } : {}) }];
  });

/** Reads what the decision needs from an account item (a GetItem or a failed write's ALL_OLD). */
export const readControlledItem = (item: Record<string, unknown>, what: string): ControlledItem => {
  const parsed = controlledItemSchema.safeParse(item);
  if (!parsed.success) throw new PermanentStoreError(`CreditCache item ${what} is malformed: ${parsed.error.message}`, 'MALFORMED_ITEM');
  const data = parsed.data;
  let rolling: RollingUsage | null = null;
  if (data.uh !== undefined) {
    let past: { amounts: number[]; counts: number[] };
    try {
      past = data.uhp === undefined ? unpackClosedBuckets(packClosedBuckets(zeros(), zeros())) : unpackClosedBuckets(data.uhp);
    } catch (error) {
      throw new PermanentStoreError(`CreditCache item ${what} has malformed rolling buckets: ${String(error)}`, 'MALFORMED_ITEM');
    }
    rolling = { hour: data.uh, amount: data.uha, count: data.uhc, past_amounts: past.amounts, past_counts: past.counts };
  }
  const lifetime: WindowTally | null = data.ula === undefined ? null : { amount: data.ula, count: data.ulc };
  return {
    available: data.available,
    stored: {
      status: data.account_status,
      currency: data.currency,
      max_per_transaction: data.per_transaction_limit,
      velocity_limits: limitsFromMap(data.vl),
      balance_monitors: data.bm,
      version: data.cv,
    },
    usage: {
      daily: calendar(data.ud, data.uda, data.udc),
      weekly: calendar(data.uw, data.uwa, data.uwc),
      monthly: calendar(data.um, data.uma, data.umc),
      rolling_24h: rolling,
      lifetime,
    },
  };
};

const zeros = (): number[] => Array.from({ length: ROLLING_CLOSED_BUCKETS }, () => 0);

// --- writing the controls --------------------------------------------------------------------

/** The attribute values a controls write-through sets. */
export const controlsAttributeValues = (controls: AccountControls, version: number): Record<string, unknown> => ({
  [controlAttributes.status]: controls.status,
  [controlAttributes.currency]: controls.currency,
  [controlAttributes.maxPerTransaction]: controls.max_per_transaction,
  [controlAttributes.limits]: Object.fromEntries(
    controls.velocity_limits.map((limit) => [
      intervalCodes[limit.interval],
      { ...(limit.max_amount !== undefined ? { a: limit.max_amount } : {}), ...(limit.max_count !== undefined ? { c: limit.max_count } : {}) },
    ]),
  ),
  [controlAttributes.monitors]: [...controls.balance_monitors],
  [controlAttributes.version]: version,
});
