import { itemKey } from '@creditline/adapters/definitions';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { decidedDetailSchema } from '@creditline/adapters/outbox/decided-detail';
import { createTransactionRepository } from '@creditline/adapters/sql/transaction-repository';
import { rules, matchesPattern } from '@creditline/adapters/definitions';
import type { BusEvent, DeadLetter, EventPublisher, QueueAdmin } from '@creditline/domain';
import type { TestDatabase, TestDynamo } from '@creditline/stand-ins/vitest';

/**
 * The bus and the callbacks DLQ played in process (EventBridge and SQS have no local server):
 * published events are recorded with the rule targets they match, and a TransactionDecided
 * routed to the transaction-log queue is settled the way the TransactionLogger settles it
 * (the settlement adapter, then the TransactionLog item marked settled).
 */
export interface InProcessOutbox {
  readonly publisher: EventPublisher;
  readonly published: { readonly event: BusEvent; readonly targets: readonly string[] }[];
  readonly queueAdmin: QueueAdmin;
  readonly deadLetters: DeadLetter[];
}

export const createInProcessOutbox = (
  dynamo: TestDynamo,
  db: TestDatabase,
  settledAt: string,
): InProcessOutbox => {
  const published: InProcessOutbox['published'] = [];
  const deadLetters: DeadLetter[] = [];
  const settlement = createTransactionRepository(db.sql);

  const settle = async (event: BusEvent): Promise<void> => {
    const decision = decidedDetailSchema.parse(event.detail);
    await settlement.settle(decision, settledAt);
    await dynamo.doc.send(
      new UpdateCommand({
        TableName: dynamo.tables.transactionLog,
        Key: itemKey(decision.partner_id, decision.transaction_id),
        UpdateExpression: 'REMOVE settlement_state SET settled_at = :at',
        ExpressionAttributeValues: { ':at': settledAt },
      }),
    );
  };

  return {
    published,
    deadLetters,
    publisher: {
      async publish(events) {
        for (const event of events) {
          const shape = {
            source: event.source,
            'detail-type': event.detailType,
            detail: event.detail,
          };
          const targets = rules
            .filter((rule) => matchesPattern(rule.pattern, shape))
            .map((rule) => rule.target);
          published.push({ event, targets });
          if (targets.includes('transaction-log-queue')) await settle(event);
        }
      },
    },
    queueAdmin: {
      queueNames: ['callbacks', 'transaction-log'],
      listDeadLetters: (queue, limit) =>
        Promise.resolve(queue === 'callbacks' ? deadLetters.slice(0, limit) : []),
      redriveDeadLetters: () => Promise.reject(new Error('not needed here')),
    },
  };
};
