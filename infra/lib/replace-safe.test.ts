import { describe, expect, it } from 'vitest';
import {
  firehoseForceNewInputs,
  forceNewDigest,
  pipeForceNewInputs,
  replaceSafeName,
  tableForceNewInputs,
} from './replace-safe.js';

describe('replace-safe names', () => {
  it('change exactly when a force-new input changes', () => {
    const base = 'creditline-dev-audit';
    expect(replaceSafeName(base, firehoseForceNewInputs('extended_s3'))).toBe(
      replaceSafeName(base, firehoseForceNewInputs('extended_s3')),
    );
    expect(replaceSafeName(base, firehoseForceNewInputs('extended_s3'))).not.toBe(
      replaceSafeName(base, firehoseForceNewInputs('redshift')),
    );
    const stream = 'arn:aws:dynamodb:eu-west-1:1:table/T/stream/2025-01-01T00:00:00.000';
    expect(replaceSafeName('p', pipeForceNewInputs(stream))).not.toBe(
      replaceSafeName('p', pipeForceNewInputs(stream.replace('2025', '2026'))),
    );
    const key = tableForceNewInputs({ partitionKey: { name: 'user_id', type: 'S' } });
    expect(replaceSafeName('t', key)).not.toBe(
      replaceSafeName('t', tableForceNewInputs({ partitionKey: { name: 'pk', type: 'S' } })),
    );
  });

  it('keep the readable name in front, and do not depend on key order', () => {
    expect(replaceSafeName('creditline-dev-CreditCache', { a: 1 })).toMatch(
      /^creditline-dev-CreditCache-[0-9a-f]{8}$/,
    );
    expect(forceNewDigest({ a: 1, b: { c: 2, d: 3 } })).toBe(
      forceNewDigest({ b: { d: 3, c: 2 }, a: 1 }),
    );
    expect(() => replaceSafeName('x'.repeat(60), {})).toThrow(/longer than 64/);
  });
});
