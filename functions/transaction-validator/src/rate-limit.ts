import type { RateLimit } from '@creditline/adapters/config/env';
import type { Clock } from '@creditline/domain';

/** Whether a partner may make one more request now, and if not, when to come back. */
export type RateLimitVerdict =
  { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };

export interface RateLimiter {
  take(partnerId: string): RateLimitVerdict;
}

/**
 * A token bucket per partner: `burst` requests at once, refilled at `perSecond`. One limiter per
 * entry path (HTTP, events), so one partner's flood of events cannot use up its own or anyone's
 * HTTP allowance. The buckets live in the execution environment: each concurrent Lambda
 * environment enforces the limit on what it serves, so the path's reserved concurrency bounds
 * what a partner can reach in total. A partner the limiter does not know is not limited here
 * (identity has already refused anyone who is not a configured partner).
 */
export const createRateLimiter = (
  limits: ReadonlyMap<string, RateLimit>,
  clock: Clock,
): RateLimiter => {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(partnerId) {
      const limit = limits.get(partnerId);
      if (limit === undefined) return { ok: true };
      const now = clock.now().getTime();
      const bucket = buckets.get(partnerId) ?? { tokens: limit.burst, at: now };
      const tokens = Math.min(
        limit.burst,
        bucket.tokens + ((now - bucket.at) / 1000) * limit.perSecond,
      );
      if (tokens >= 1) {
        buckets.set(partnerId, { tokens: tokens - 1, at: now });
        return { ok: true };
      }
      buckets.set(partnerId, { tokens, at: now });
      return {
        ok: false,
        retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / limit.perSecond)),
      };
    },
  };
};
