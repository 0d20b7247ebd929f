import { transactionLogQueue } from '@creditline/adapters/definitions';
import { createLocalQueue } from '@creditline/local/queues/local-queue';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { whileInFlight } from './in-flight.js';

/**
 * The transaction log's queue as the simulation compresses it (here 60 s → 60 ms), with a
 * handler slower than that: in AWS the function timeout is below the visibility timeout, so a
 * message is never received again while its invocation runs.
 */
const SCALE = 0.001;
const visibilityMs = transactionLogQueue.visibilityTimeoutSeconds * 1000 * SCALE;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('whileInFlight: a batch stays invisible while its invocation runs', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const queue = () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditline-in-flight-'));
    dirs.push(dir);
    return createLocalQueue({ definition: transactionLogQueue, dir, timeScale: SCALE });
  };

  it('without it, compressed time hands an in-flight message out again and spends its receives', async () => {
    const q = queue();
    q.send('settle tx-1');
    const [first] = q.receive(1);
    await sleep(visibilityMs * 3);
    const again = q.receive(1);
    expect(again).toHaveLength(1);
    expect(again[0]?.receiveCount).toBe(2);
    // The first invocation's delete now carries a stale handle: the message stays.
    expect(q.delete(first?.receiptHandle ?? '')).toBe(false);
  });

  it('with it, the message is received once while the handler outlasts the timeout, and deleted by it', async () => {
    const q = queue();
    q.send('settle tx-1');
    const [first] = q.receive(1);
    const handle = first?.receiptHandle ?? '';
    const during: number[] = [];
    await whileInFlight(q, [handle], async () => {
      for (let round = 0; round < 6; round += 1) {
        await sleep(visibilityMs);
        during.push(q.receive(1).length);
      }
    });
    expect(during).toEqual([0, 0, 0, 0, 0, 0]);
    expect(q.delete(handle)).toBe(true);
    expect(q.counts()).toMatchObject({ visible: 0, inFlight: 0 });
  });

  it('a failed invocation leaves its message to come back one visibility timeout after it ended', async () => {
    const q = queue();
    q.send('settle tx-1');
    const [first] = q.receive(1);
    await whileInFlight(q, [first?.receiptHandle ?? ''], () => sleep(visibilityMs * 2));
    expect(q.receive(1)).toHaveLength(0);
    await sleep(visibilityMs * 2);
    const again = q.receive(1);
    expect(again).toHaveLength(1);
    expect(again[0]?.receiveCount).toBe(2);
  });
});
