import { describe, expect, it } from 'vitest';
import { dueExpiryBuckets, EXPIRY_SHARDS, expiryBucket } from './expiry-buckets.js';

describe('expiry buckets', () => {
  it('files a hold under the hour it expires in and a shard of its key, the same every time', () => {
    // Act
    const bucket = expiryBucket('demo#tx-1', '2026-03-08T12:34:56.789Z');

    // Assess
    expect(bucket).toMatch(/^2026-03-08T12#\d{2}$/);
    expect(expiryBucket('demo#tx-1', '2026-03-08T12:00:00+00:00')).toBe(bucket);
    expect(expiryBucket('demo#tx-1', '2026-03-08T14:10:00+02:00')).toBe(bucket);
  });

  it('spreads a busy hour over every shard, none taking much more than its share', () => {
    // Act
    const counts = new Map<string, number>();
    for (let n = 0; n < 16_000; n += 1) {
      const bucket = expiryBucket(`acme#tx-${n}`, '2026-03-08T12:00:00.000Z');
      counts.set(bucket, (counts.get(bucket) ?? 0) + 1);
    }

    // Assess
    expect(counts.size).toBe(EXPIRY_SHARDS);
    expect(Math.max(...counts.values())).toBeLessThan(1_000 * 1.15);
  });

  it('lists every shard of every hour from the last sweep to now, and a hold due now is in one of them', () => {
    // Act
    const due = dueExpiryBuckets(
      new Date('2026-03-08T10:59:00.000Z'),
      new Date('2026-03-08T12:01:00.000Z'),
      2,
    );

    // Assess
    expect(due).toEqual([
      '2026-03-08T10#00',
      '2026-03-08T10#01',
      '2026-03-08T11#00',
      '2026-03-08T11#01',
      '2026-03-08T12#00',
      '2026-03-08T12#01',
    ]);
    expect(due).toContain(expiryBucket('demo#tx-9', '2026-03-08T12:00:30.000Z', 2));
  });

  it('lists the current hour alone when the clock went back past the last sweep', () => {
    expect(
      dueExpiryBuckets(
        new Date('2026-03-08T13:00:00.000Z'),
        new Date('2026-03-08T12:30:00.000Z'),
        1,
      ),
    ).toEqual(['2026-03-08T12#00']);
  });
});
