/**
 * Where an open manual hold waits for its expiry, without a scan: a sparse index keyed by the
 * hour its hold_expires_at falls in, spread over shards so that no partition takes every hold
 * of a busy hour. The hold item carries `expiry_bucket` while it holds and drops it when it
 * closes, so the index lists exactly the open holds; the sweep queries the buckets that are due.
 */

export const EXPIRY_SHARDS = 16;
const MS_PER_HOUR = 3_600_000;

/** FNV-1a over UTF-16 code units: stable across runtimes, and spreads ids evenly enough. */
const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
};

const hourOf = (ms: number): string =>
  new Date(Math.floor(ms / MS_PER_HOUR) * MS_PER_HOUR).toISOString().slice(0, 13);

/** `2026-03-08T12#07`: the hour of hold_expires_at and the shard of the hold's key. */
export const expiryBucket = (
  holdKey: string,
  holdExpiresAt: string,
  shards = EXPIRY_SHARDS,
): string =>
  `${hourOf(Date.parse(holdExpiresAt))}#${String(fnv1a(holdKey) % shards).padStart(2, '0')}`;

/**
 * The buckets a sweep at `now` must query, from the hour of the last sweep that finished (a
 * sweep that fails is redone from there, so a missed run only delays, never loses, an expiry)
 * to the current hour, every shard. Within the current hour the query bounds the sort key by
 * `now`, so holds not yet due stay where they are.
 */
export const dueExpiryBuckets = (sweptUpTo: Date, now: Date, shards = EXPIRY_SHARDS): string[] => {
  const buckets: string[] = [];
  const first = Math.floor(Math.min(sweptUpTo.getTime(), now.getTime()) / MS_PER_HOUR);
  const last = Math.floor(now.getTime() / MS_PER_HOUR);
  for (let hour = first; hour <= last; hour += 1) {
    for (let shard = 0; shard < shards; shard += 1)
      buckets.push(`${hourOf(hour * MS_PER_HOUR)}#${String(shard).padStart(2, '0')}`);
  }
  return buckets;
};
