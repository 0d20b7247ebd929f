import { describe, expect, it } from 'vitest';
import { applyDeltas, balanceOf } from './hold-figures.js';

describe('balances', () => {
  it('derive available from credited, posted and pending', () => {
    expect(balanceOf({ credited: 10_000, posted: 2_500, pending: 1_000 })).toEqual({
      credited: 10_000,
      posted: 2_500,
      pending: 1_000,
      available: 6_500,
    });
  });

  it('move by an operation deltas, credited never', () => {
    // Act: a final capture of 6.00 on a hold of 10.00.
    const after = applyDeltas(balanceOf({ credited: 10_000, posted: 0, pending: 1_000 }), {
      available: 400,
      pending: -1_000,
      posted: 600,
    });

    // Assess
    expect(after).toEqual({ credited: 10_000, posted: 600, pending: 0, available: 9_400 });
  });

  it('refuse to leave exact integer arithmetic', () => {
    expect(() =>
      applyDeltas(balanceOf({ credited: 0, posted: Number.MAX_SAFE_INTEGER, pending: 0 }), {
        available: -1,
        pending: 0,
        posted: 1,
      }),
    ).toThrow(RangeError);
  });
});
