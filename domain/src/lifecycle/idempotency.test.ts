import { describe, expect, it } from 'vitest';
import type { HoldOperation } from '../contracts/lifecycle.js';
import { manualHold } from './test-fixtures.js';
import { executeHoldOperation, operationFingerprint, operationKey } from './idempotency.js';

const now = new Date('2026-03-02T12:00:00.000Z');
const context = { now, account: null };
const hold = manualHold();
const captureAll: HoldOperation = { kind: 'capture', capture_id: 'cap-1' };

describe('operation keys and fingerprints', () => {
  it.each<[HoldOperation, string]>([
    [captureAll, 'capture#cap-1'],
    [{ kind: 'void', void_id: 'v-1' }, 'void#v-1'],
    [{ kind: 'increment', increment_id: 'i-1', amount: 5 }, 'increment#i-1'],
    [{ kind: 'refund', refund_id: 'r-1', amount: 5 }, 'refund#r-1'],
    [{ kind: 'expire' }, 'expire'],
  ])('keys %o as %s, one namespace per kind', (operation, key) => {
    expect(operationKey(operation)).toBe(key);
  });

  it('tells apart bodies that say different things under one key', () => {
    // Prepare
    const bodies: HoldOperation[] = [
      captureAll,
      { kind: 'capture', capture_id: 'cap-1', amount: 10_000 },
      { kind: 'capture', capture_id: 'cap-1', amount: 10_000, final: false },
      { kind: 'capture', capture_id: 'cap-1', amount: 10_000, final: true },
      { kind: 'increment', increment_id: 'cap-1', amount: 10_000 },
      { kind: 'refund', refund_id: 'cap-1', amount: 10_000 },
      { kind: 'void', void_id: 'cap-1' },
      { kind: 'expire' },
    ];

    // Assess
    expect(new Set(bodies.map(operationFingerprint)).size).toBe(bodies.length);
    expect(operationFingerprint({ kind: 'refund', refund_id: 'r', amount: 5 })).toBe(
      operationFingerprint({ kind: 'refund', refund_id: 'r', amount: 5 }),
    );
  });
});

describe('executeHoldOperation', () => {
  it('applies a first request and hands back what to store under its key', () => {
    // Act
    const execution = executeHoldOperation(hold, captureAll, null, context);

    // Assess
    expect(execution).toMatchObject({
      kind: 'applied',
      key: 'capture#cap-1',
      fingerprint: operationFingerprint(captureAll),
      step: { result: { amount: 10_000 } },
    });
  });

  it('replays the stored result to the same request, even after the hold moved on', () => {
    // Prepare
    const first = executeHoldOperation(hold, captureAll, null, context);
    if (first.kind !== 'applied') throw new Error(first.kind);
    const stored = { fingerprint: first.fingerprint, result: first.step.result };

    // Act: the hold is captured now, so a fresh capture would be refused.
    const again = executeHoldOperation(first.step.hold, captureAll, stored, context);

    // Assess
    expect(again).toEqual({ kind: 'replay', key: 'capture#cap-1', result: first.step.result });
  });

  it('is a conflict when another request used the key, whatever the rules would say', () => {
    // Prepare
    const stored = { fingerprint: operationFingerprint(captureAll), result: {} as never };

    // Act
    const execution = executeHoldOperation(
      hold,
      { kind: 'capture', capture_id: 'cap-1', amount: 1 },
      stored,
      context,
    );

    // Assess
    expect(execution).toEqual({
      kind: 'conflict',
      key: 'capture#cap-1',
      message: 'capture#cap-1 was already used on transaction tx-1 with a different request',
    });
  });

  it('passes a refusal on, with nothing to store', () => {
    expect(
      executeHoldOperation(hold, { kind: 'refund', refund_id: 'r-1', amount: 1 }, null, context),
    ).toMatchObject({
      kind: 'refused',
      key: 'refund#r-1',
      refusal: { code: 'INVALID_STATE' },
    });
  });
});
