import { formatMoney, velocityIntervals, type VelocityInterval } from '@creditline/domain';
import { UsageError } from './command.js';

/** A velocity limit as the API body takes it: amounts as decimal strings. */
export interface VelocityLimitBody {
  readonly interval: VelocityInterval;
  readonly max_amount?: string;
  readonly max_count?: number;
}

/**
 * `--limit INTERVAL:AMOUNT[:COUNT]`: `daily:50.00`, `weekly:200.00:20`, `daily::5` (count only),
 * `daily:none` (remove the daily limit). Amounts stay decimal strings: the API parses them.
 */
export const parseLimitFlag = (flag: string): { readonly interval: VelocityInterval; readonly limit: VelocityLimitBody | null } => {
  const [interval = '', amount = '', count, ...rest] = flag.split(':');
  if (!(velocityIntervals as readonly string[]).includes(interval) || rest.length > 0) {
    throw new UsageError(`--limit ${flag}: expected INTERVAL:AMOUNT[:COUNT] with INTERVAL one of ${velocityIntervals.join(', ')}`);
  }
  const known = interval as VelocityInterval;
  if (amount === 'none' && count === undefined) return { interval: known, limit: null };
  if (amount !== '' && !/^\d+(\.\d{1,2})?$/.test(amount)) throw new UsageError(`--limit ${flag}: the amount must be a decimal such as 50.00`);
  if (count !== undefined && !/^[1-9]\d{0,8}$/.test(count)) throw new UsageError(`--limit ${flag}: the count must be a positive whole number`);
  if (amount === '' && count === undefined) throw new UsageError(`--limit ${flag}: give an amount, a count or both`);
  return {
    interval: known,
    limit: { interval: known, ...(amount !== '' ? { max_amount: amount } : {}), ...(count !== undefined ? { max_count: Number(count) } : {}) },
  };
};

/** The current limits (as a GET answers them, in cents) with the flags applied, as a PUT body takes them. */
export const mergeLimits = (
  current: readonly { interval: VelocityInterval; max_amount?: number; max_count?: number }[],
  flags: readonly string[],
): VelocityLimitBody[] => {
  const byInterval = new Map<VelocityInterval, VelocityLimitBody>(
    current.map((limit) => [
      limit.interval,
      {
        interval: limit.interval,
        ...(limit.max_amount !== undefined ? { max_amount: formatMoney(limit.max_amount) } : {}),
        ...(limit.max_count !== undefined ? { max_count: limit.max_count } : {}),
      },
    ]),
  );
  for (const flag of flags) {
    const { interval, limit } = parseLimitFlag(flag);
    if (limit === null) byInterval.delete(interval);
    else byInterval.set(interval, limit);
  }
  return velocityIntervals.flatMap((interval) => {
    const limit = byInterval.get(interval);
    return limit === undefined ? [] : [limit];
  });
};
