import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { identifierSchema, isIdentifier, isoTimestampSchema } from './identifiers.js';

describe('isIdentifier', () => {
  it.each<[string, boolean]>([
    ['user-1', true],
    ['A', true],
    ['dep_2026.01:x@bank', true],
    ['x'.repeat(128), true],
    ['x'.repeat(129), false],
    ['', false],
    ['-leading-dash', false],
    ['has space', false],
    ['ünïcode', false],
    ['semi;colon', false],
  ])('judges %j as %s, like the schema', (id, expected) => {
    // Act
    const fast = isIdentifier(id);
    const schema = identifierSchema.safeParse(id).success;

    // Assess
    expect([fast, schema]).toEqual([expected, expected]);
  });

  it('agrees with identifierSchema on any string', () => {
    const ids = fc.oneof(
      fc.string({ maxLength: 140 }),
      fc.stringMatching(/^[A-Za-z0-9._:@ -]{0,130}$/),
    );
    fc.assert(
      fc.property(ids, (id) => {
        // Act / Assess
        expect(isIdentifier(id)).toBe(identifierSchema.safeParse(id).success);
      }),
    );
  });
});

describe('isoTimestampSchema', () => {
  it.each<[string, boolean]>([
    ['2026-03-01T12:00:00.000Z', true],
    ['2026-03-01T12:00:00+02:00', true],
    ['2026-03-01T12:00:00', false],
    ['2026-02-30T12:00:00Z', false],
  ])('judges %s as %s', (text, expected) => {
    // Act
    const parsed = isoTimestampSchema.safeParse(text);

    // Assess
    expect(parsed.success).toBe(expected);
  });
});
