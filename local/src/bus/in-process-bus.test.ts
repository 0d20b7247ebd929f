import { callbacksQueue, transactionLogQueue } from '@creditline/adapters/definitions';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLocalQueue } from '../queues/local-queue.js';
import { createInProcessBus, queueTarget, type EventBridgeEnvelope } from './in-process-bus.js';

const decided = (detail: Record<string, unknown>) => ({
  source: 'creditline.authorization',
  detailType: 'TransactionDecided',
  detail,
});

describe('in-process bus', () => {
  const setup = () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditline-bus-'));
    const logQueue = createLocalQueue({ definition: transactionLogQueue, dir });
    const callbacks = createLocalQueue({ definition: callbacksQueue, dir });
    const invoked: EventBridgeEnvelope[] = [];
    const unrouted: string[] = [];
    const bus = createInProcessBus({
      targets: {
        'transaction-log-queue': queueTarget(logQueue),
        'callbacks-queue': queueTarget(callbacks),
        'transaction-validator': (event) => Promise.resolve(void invoked.push(event)),
      },
      clock: { now: () => new Date('2026-11-25T16:08:01.456Z') },
      newId: () => 'evt-1',
      onUnrouted: (_event, rule) => unrouted.push(rule.logicalName),
    });
    return { bus, logQueue, callbacks, invoked, unrouted };
  };

  it('routes a decision with a callback to both queues, the body being the EventBridge event', async () => {
    // Prepare
    const { bus, logQueue, callbacks } = setup();

    // Act
    await bus.publish([
      decided({ transaction_id: 'tx-1', callback_url: 'https://hooks.partner.example/cb' }),
    ]);

    // Assess
    const [logged] = logQueue.receive(10);
    expect(JSON.parse(logged?.body ?? '')).toEqual({
      version: '0',
      id: 'evt-1',
      'detail-type': 'TransactionDecided',
      source: 'creditline.authorization',
      account: '000000000000',
      time: '2026-11-25T16:08:01Z',
      region: 'us-east-1',
      resources: [],
      detail: { transaction_id: 'tx-1', callback_url: 'https://hooks.partner.example/cb' },
    });
    expect(callbacks.receive(10).map((message) => message.body)).toEqual([logged?.body]);
  });

  it.each([
    { label: 'no callback_url', detail: { transaction_id: 'tx-2' } },
    {
      label: 'the blank callback_url the Pipe renders for a missing one',
      detail: { transaction_id: 'tx-2', callback_url: '' },
    },
  ])('sends a decision with $label to the log queue only', async ({ detail }) => {
    const { bus, logQueue, callbacks } = setup();
    await bus.publish([decided(detail)]);
    expect(logQueue.counts().visible).toBe(1);
    expect(callbacks.counts().visible).toBe(0);
  });

  it.each(['BalanceLow', 'BalanceRestored'])(
    'routes a %s crossing from creditline.controls to the callbacks queue only, and the same detail-type from a partner nowhere',
    async (detailType) => {
      const { bus, logQueue, callbacks, invoked } = setup();
      const detail = { type: detailType, partner_id: 'acme', user_id: 'u', threshold: 5000, change_id: 'c-1' };
      await bus.publish([{ source: 'creditline.controls', detailType, detail }]);
      await bus.publish([{ source: 'partner.acme', detailType, detail }]);
      expect(callbacks.receive(10).map((message) => JSON.parse(message.body) as unknown)).toEqual([
        expect.objectContaining({ source: 'creditline.controls', 'detail-type': detailType, detail }),
      ]);
      expect(logQueue.counts().visible).toBe(0);
      expect(invoked).toEqual([]);
    },
  );

  it('invokes the validator for a partner’s TransactionRequested and nothing for unknown events', async () => {
    // Prepare
    const { bus, logQueue, invoked } = setup();

    // Act
    await bus.publish([
      {
        source: 'partner.acme',
        detailType: 'TransactionRequested',
        detail: { transaction_id: 'tx-3' },
      },
      { source: 'someone.else', detailType: 'TransactionDecided', detail: {} },
    ]);

    // Assess
    expect(invoked.map((event) => event.source)).toEqual(['partner.acme']);
    expect(logQueue.counts().visible).toBe(0);
  });

  it('reports a matching rule whose target is not registered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'creditline-bus-'));
    const unrouted: string[] = [];
    const bus = createInProcessBus({
      targets: {
        'transaction-log-queue': queueTarget(
          createLocalQueue({ definition: transactionLogQueue, dir }),
        ),
      },
      onUnrouted: (_e, rule) => unrouted.push(rule.logicalName),
    });
    await bus.publish([decided({ transaction_id: 'tx-4', callback_url: 'https://x.example/' })]);
    expect(unrouted).toEqual(['transaction-decided-to-callbacks']);
  });
});
