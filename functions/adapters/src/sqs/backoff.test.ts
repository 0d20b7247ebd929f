import { describe, expect, it } from 'vitest';
import { callbacksQueue } from '../definitions/queues.js';
import { backoffFor, retryDelaySeconds } from './backoff.js';

describe('retry backoff', () => {
  const policy = backoffFor(callbacksQueue);

  it.each([
    { receiveCount: 1, low: 15, high: 30 },
    { receiveCount: 2, low: 30, high: 60 },
    { receiveCount: 3, low: 60, high: 120 },
    { receiveCount: 4, low: 120, high: 240 },
    { receiveCount: 5, low: 240, high: 480 },
    { receiveCount: 6, low: 450, high: 900 },
    { receiveCount: 8, low: 450, high: 900 },
    { receiveCount: 80, low: 450, high: 900 },
  ])(
    'after delivery $receiveCount waits between $low and $high seconds',
    ({ receiveCount, low, high }) => {
      expect(retryDelaySeconds(receiveCount, policy, () => 0)).toBe(low);
      expect(retryDelaySeconds(receiveCount, policy, () => 0.999999)).toBe(high);
    },
  );

  it('starts from the queue’s visibility timeout and caps at 15 minutes', () => {
    expect(policy).toEqual({ baseSeconds: 30, capSeconds: 900 });
  });

  it('never asks for less than a second', () => {
    expect(retryDelaySeconds(1, { baseSeconds: 1, capSeconds: 900 }, () => 0)).toBe(1);
  });
});
