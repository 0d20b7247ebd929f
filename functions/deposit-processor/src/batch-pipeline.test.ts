import { describe, expect, it } from 'vitest';
import { createBatchPipeline } from './batch-pipeline.js';

/** A promise the test settles by hand. */
const deferred = () => {
  let resolve: () => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('createBatchPipeline', () => {
  it('holds the submitter back while the given number of batches are in flight', async () => {
    // Prepare
    const started: number[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const pipeline = createBatchPipeline<number>(2, (batch) => {
      started.push(batch);
      return gates[batch]?.promise ?? Promise.resolve();
    });

    // Act
    await pipeline.submit(0);
    let returned = false;
    const second = pipeline.submit(1).then(() => (returned = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const returnedWhileFull = returned;
    gates[0]?.resolve();
    await second;
    const third = pipeline.submit(2);
    gates[1]?.resolve();
    await third;
    gates[2]?.resolve();
    await pipeline.finish();

    // Assess
    expect(returnedWhileFull).toBe(false);
    expect(returned).toBe(true);
    expect(started).toEqual([0, 1, 2]);
  });

  it('starts no batch after a failure, waits for those in flight, and throws the failure', async () => {
    // Prepare
    const started: number[] = [];
    const slow = deferred();
    const pipeline = createBatchPipeline<number>(3, (batch) => {
      started.push(batch);
      if (batch === 0) return slow.promise;
      return batch === 1 ? Promise.reject(new Error('store down')) : Promise.resolve();
    });
    await pipeline.submit(0);
    await pipeline.submit(1);
    await Promise.resolve();

    // Act
    const refused = pipeline.submit(2);
    let settled = false;
    const finished = pipeline.finish().finally(() => (settled = true));
    await Promise.resolve();
    const settledBeforeSlowBatch = settled;
    slow.resolve();

    // Assess
    await expect(refused).rejects.toThrow('store down');
    await expect(finished).rejects.toThrow('store down');
    expect(settledBeforeSlowBatch).toBe(false);
    expect(started).toEqual([0, 1]);
  });
});
