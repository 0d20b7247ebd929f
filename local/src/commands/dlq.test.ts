import { callbacksQueue, transactionLogQueue } from '@creditline/adapters/definitions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalQueue } from '../queues/local-queue.js';
import { createLocalQueueAdmin } from '../queues/local-queue-admin.js';
import { listDeadLetters, redriveDeadLetters } from './dlq.js';

describe('dlq commands over the local queues', () => {
  const parkedQueue = () => {
    let now = 1_795_622_880_000;
    const dir = mkdtempSync(join(tmpdir(), 'creditline-dlq-'));
    const callbacks = createLocalQueue({ definition: callbacksQueue, dir, now: () => now });
    const logQueue = createLocalQueue({ definition: transactionLogQueue, dir, now: () => now });
    callbacks.send(
      JSON.stringify({
        'detail-type': 'TransactionDecided',
        detail: { transaction_id: 'tx-parked' },
      }),
    );
    callbacks.send('not json');
    for (let round = 0; round <= callbacksQueue.maxReceiveCount; round += 1) {
      callbacks.receive(10);
      now += callbacksQueue.visibilityTimeoutSeconds * 1000;
    }
    return { callbacks, admin: createLocalQueueAdmin([callbacks, logQueue]) };
  };

  it('lists dead letters with the transaction they carry', async () => {
    // Prepare
    const { admin } = parkedQueue();

    // Act
    const letters = await listDeadLetters(admin, 'callbacks');

    // Assess
    expect(admin.queueNames).toEqual(['callbacks', 'transaction-log']);
    expect(
      letters.map(({ transactionId, detailType, receiveCount, body }) => ({
        transactionId,
        detailType,
        receiveCount,
        body,
      })),
    ).toEqual([
      {
        transactionId: 'tx-parked',
        detailType: 'TransactionDecided',
        receiveCount: 8,
        body: '{"detail-type":"TransactionDecided","detail":{"transaction_id":"tx-parked"}}',
      },
      { transactionId: undefined, detailType: undefined, receiveCount: 8, body: 'not json' },
    ]);
  });

  it('redrives every dead letter back to its queue', async () => {
    // Prepare
    const { admin, callbacks } = parkedQueue();

    // Act
    const result = await redriveDeadLetters(admin, 'callbacks');

    // Assess
    expect(result).toEqual({ moved: 2 });
    expect(callbacks.counts()).toEqual({ visible: 2, inFlight: 0, deadLetters: 0 });
    expect(await listDeadLetters(admin, 'callbacks')).toEqual([]);
  });

  it('names the known queues for an unknown one', async () => {
    const { admin } = parkedQueue();
    await expect(listDeadLetters(admin, 'nope')).rejects.toThrow(
      'expected one of callbacks, transaction-log',
    );
  });
});
