import {
  callbacksQueue,
  transactionLogQueue,
  type QueueDefinition,
} from '@creditline/adapters/definitions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalQueue } from './local-queue.js';

/** A queue on a manual clock: time moves only when the test says so. */
const setup = (definition: QueueDefinition = callbacksQueue) => {
  const dir = mkdtempSync(join(tmpdir(), 'creditline-queue-'));
  let now = 1_795_622_880_000;
  const open = () => createLocalQueue({ definition, dir, now: () => now });
  return { dir, open, queue: open(), advance: (seconds: number) => (now += seconds * 1000) };
};

describe('local SQS queue', () => {
  it('hides a received message for the visibility timeout, then delivers it again with its receive count', () => {
    // Prepare
    const { queue, advance } = setup();
    queue.send('{"n":1}');

    // Act
    const first = queue.receive(10);
    const whileHidden = queue.receive(10);
    advance(callbacksQueue.visibilityTimeoutSeconds);
    const again = queue.receive(10);

    // Assess
    expect(first.map((message) => message.receiveCount)).toEqual([1]);
    expect(whileHidden).toEqual([]);
    expect(again.map((message) => [message.messageId, message.receiveCount])).toEqual([
      [first[0]?.messageId, 2],
    ]);
    expect(again[0]?.firstReceivedAt).toBe(first[0]?.firstReceivedAt);
  });

  it('deletes by the current receipt handle only', () => {
    // Prepare
    const { queue, advance } = setup();
    queue.send('a');
    const [stale] = queue.receive(1);
    advance(30);
    const [fresh] = queue.receive(1);

    // Act / Assess
    expect(queue.delete(stale?.receiptHandle ?? '')).toBe(false);
    expect(queue.delete(fresh?.receiptHandle ?? '')).toBe(true);
    expect(queue.counts()).toEqual({ visible: 0, inFlight: 0, deadLetters: 0 });
  });

  it('moves the moment a message comes back with ChangeMessageVisibility, per message', async () => {
    // Prepare
    const { queue, advance } = setup();
    queue.send('backed-off');
    queue.send('released');
    const [backedOff, released] = queue.receive(2);

    // Act
    await queue.visibility.change(backedOff?.receiptHandle ?? '', 120);
    await queue.visibility.change(released?.receiptHandle ?? '', 0);
    const immediately = queue.receive(10);
    for (const message of immediately) queue.delete(message.receiptHandle);
    advance(119);
    const before = queue.receive(10).map((message) => message.body);
    advance(1);
    const after = queue.receive(10).map((message) => message.body);

    // Assess
    expect(immediately.map((message) => message.body)).toEqual(['released']);
    expect(before).toEqual([]);
    expect(after).toEqual(['backed-off']);
  });

  it('parks a message in the DLQ instead of delivering it beyond maxReceiveCount, and redrives it back', () => {
    // Prepare
    const { queue, advance } = setup();
    queue.send('doomed');

    // Act
    const deliveries: number[] = [];
    for (let round = 0; round < callbacksQueue.maxReceiveCount + 2; round += 1) {
      deliveries.push(...queue.receive(10).map((message) => message.receiveCount));
      advance(callbacksQueue.visibilityTimeoutSeconds);
    }
    const parked = queue.listDeadLetters(10);
    const moved = queue.redriveDeadLetters();
    const redelivered = queue.receive(10);

    // Assess
    expect(deliveries).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(parked).toEqual([
      {
        messageId: expect.any(String) as string,
        body: 'doomed',
        receiveCount: 8,
        sentAt: '2026-11-25T16:08:00.000Z',
      },
    ]);
    expect(moved).toBe(1);
    expect(redelivered.map((message) => [message.body, message.receiveCount])).toEqual([
      ['doomed', 1],
    ]);
    expect(queue.counts().deadLetters).toBe(0);
  });

  it('keeps its state across a restart: in-flight messages stay hidden, dead letters stay parked', () => {
    // Prepare
    const { open, queue, advance } = setup(transactionLogQueue);
    queue.send('in-flight');
    queue.receive(1);
    queue.send('waiting');

    // Act
    const reopened = open();
    const visibleNow = reopened.receive(10).map((message) => message.body);
    advance(transactionLogQueue.visibilityTimeoutSeconds);
    const later = open()
      .receive(10)
      .map((message) => [message.body, message.receiveCount]);

    // Assess
    expect(visibleNow).toEqual(['waiting']);
    expect(later).toEqual([
      ['in-flight', 2],
      ['waiting', 2],
    ]);
  });

  it('drops messages older than the retention period', () => {
    const { queue, advance } = setup();
    queue.send('old');
    advance(callbacksQueue.messageRetentionSeconds);
    expect(queue.receive(10)).toEqual([]);
  });
});
