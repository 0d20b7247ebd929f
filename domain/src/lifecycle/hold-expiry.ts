import type { HoldExpiryPolicy } from '../contracts/lifecycle.js';
import { err, ok, type Result } from '../result.js';

export interface HoldExpiryError {
  readonly code: 'HOLD_EXPIRY_OUT_OF_BOUNDS';
  readonly message: string;
}

const MS_PER_SECOND = 1000;

/**
 * When an uncaptured hold authorized at `now` is released: the partner's default, or the
 * request's `hold_expires_at` when it falls within the partner's bounds (inclusive). A value
 * outside them is refused rather than clamped, so a partner never holds for longer (or shorter)
 * than it asked without knowing.
 */
export const resolveHoldExpiry = (
  now: Date,
  requested: string | undefined,
  policy: HoldExpiryPolicy,
): Result<string, HoldExpiryError> => {
  const start = now.getTime();
  if (requested === undefined)
    return ok(new Date(start + policy.default_seconds * MS_PER_SECOND).toISOString());
  const at = Date.parse(requested);
  const earliest = start + policy.min_seconds * MS_PER_SECOND;
  const latest = start + policy.max_seconds * MS_PER_SECOND;
  if (Number.isNaN(at) || at < earliest || at > latest) {
    return err({
      code: 'HOLD_EXPIRY_OUT_OF_BOUNDS',
      message: `hold_expires_at must lie between ${new Date(earliest).toISOString()} and ${new Date(latest).toISOString()} (${policy.min_seconds} s to ${policy.max_seconds} s after the authorization)`,
    });
  }
  return ok(new Date(at).toISOString());
};
