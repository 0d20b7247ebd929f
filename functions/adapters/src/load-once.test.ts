import { describe, expect, it } from 'vitest';
import { loadOnce } from './load-once.js';

describe('loadOnce', () => {
  it('loads on the first call only, and concurrent and later callers share that one load', async () => {
    // Prepare
    let loads = 0;
    const get = loadOnce(async () => {
      loads += 1;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return { id: loads };
    });

    // Act
    const before = loads;
    const concurrent = await Promise.all([get(), get(), get()]);
    const later = await get();

    // Assess
    expect(before).toBe(0);
    expect(loads).toBe(1);
    expect(later).toEqual({ id: 1 });
    expect(concurrent.every((value) => value === later)).toBe(true);
  });

  it('forgets a failed load, so the next call loads again', async () => {
    // Prepare
    let loads = 0;
    const get = loadOnce(() => {
      loads += 1;
      return loads === 1 ? Promise.reject(new Error('throttled')) : Promise.resolve(loads);
    });

    // Act
    const first = await get().catch((error: unknown) => error);
    const second = await get();

    // Assess
    expect(first).toEqual(new Error('throttled'));
    expect(second).toBe(2);
    expect(await get()).toBe(2);
  });
});
