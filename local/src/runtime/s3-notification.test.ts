import { describe, expect, it } from 'vitest';
import { toS3NotificationKey } from './s3-notification.js';

describe('S3 notification keys', () => {
  it.each([
    { key: 'inbox/plain.csv', encoded: 'inbox/plain.csv' },
    { key: 'inbox/acme bank/2026-01-15 deposits (run 1).csv', encoded: 'inbox/acme+bank/2026-01-15+deposits+%28run+1%29.csv' },
    { key: 'inbox/a+b.csv', encoded: 'inbox/a%2Bb.csv' },
    { key: 'inbox/100%.csv', encoded: 'inbox/100%25.csv' },
  ])('encodes $key as S3 does', ({ key, encoded }) => {
    // Act
    const result = toS3NotificationKey(key);

    // Assess: as S3 sends it, and decoding it the way the handler does gives the key back
    expect(result).toBe(encoded);
    expect(decodeURIComponent(result.replaceAll('+', ' '))).toBe(key);
  });
});
