import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { dlqName, queues, type QueueDefinition } from '@creditline/adapters/definitions';
import type { Naming } from '../lib/naming.js';

const fourteenDays = 14 * 24 * 3600;

export interface QueuePair {
  readonly definition: QueueDefinition;
  readonly queue: aws.sqs.Queue;
  readonly dlq: aws.sqs.Queue;
}

/**
 * The SQS queues from the shared definitions, each with its DLQ and redrive, plus two
 * dead-letter queues of the plumbing: `async-dlq` (failed asynchronous invocations, rule
 * targets and the schedule) and `outbox-dlq` (stream records the Pipe could not publish).
 * Every queue is encrypted with the data key (the key policy lets EventBridge encrypt what its
 * rules send; our roles get the key by IAM). Who may send is set by the queue policies in
 * `routing.ts`.
 */
export class Queues extends pulumi.ComponentResource {
  readonly transactionLog: QueuePair;
  readonly callbacks: QueuePair;
  readonly asyncDlq: aws.sqs.Queue;
  readonly outboxDlq: aws.sqs.Queue;

  constructor(
    name: string,
    args: { readonly naming: Naming; readonly keyArn: pulumi.Input<string> },
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super('creditline:messaging:Queues', name, {}, opts);
    const parent = { parent: this };
    const { naming } = args;
    const encryption = { kmsMasterKeyId: args.keyArn, kmsDataKeyReusePeriodSeconds: 300 };

    const pairs = new Map<string, QueuePair>();
    for (const definition of queues as readonly QueueDefinition[]) {
      const dlqLogicalName = dlqName(definition.logicalName);
      const dlq = new aws.sqs.Queue(
        dlqLogicalName,
        {
          name: naming.name(dlqLogicalName),
          messageRetentionSeconds: definition.dlqRetentionSeconds,
          ...encryption,
        },
        parent,
      );
      const queue = new aws.sqs.Queue(
        definition.logicalName,
        {
          name: naming.name(definition.logicalName),
          visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds,
          messageRetentionSeconds: definition.messageRetentionSeconds,
          receiveWaitTimeSeconds: 20,
          ...encryption,
          redrivePolicy: dlq.arn.apply((deadLetterTargetArn) =>
            JSON.stringify({ deadLetterTargetArn, maxReceiveCount: definition.maxReceiveCount }),
          ),
        },
        parent,
      );
      // Only its own queue may dead-letter into a DLQ; an operator redrives it back.
      new aws.sqs.RedriveAllowPolicy(
        dlqLogicalName,
        {
          queueUrl: dlq.url,
          redriveAllowPolicy: queue.arn.apply((arn) =>
            JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [arn] }),
          ),
        },
        { parent: dlq },
      );
      pairs.set(definition.logicalName, { definition, queue, dlq });
    }
    const transactionLog = pairs.get('transaction-log');
    const callbacks = pairs.get('callbacks');
    if (!transactionLog || !callbacks)
      throw new Error(
        'the shared definitions must define the transaction-log and callbacks queues',
      );
    this.transactionLog = transactionLog;
    this.callbacks = callbacks;

    this.asyncDlq = new aws.sqs.Queue(
      'async-dlq',
      {
        name: naming.name('async-dlq'),
        messageRetentionSeconds: fourteenDays,
        ...encryption,
      },
      parent,
    );
    this.outboxDlq = new aws.sqs.Queue(
      'outbox-dlq',
      {
        name: naming.name('outbox-dlq'),
        messageRetentionSeconds: fourteenDays,
        ...encryption,
      },
      parent,
    );

    this.registerOutputs({
      transactionLogQueueUrl: transactionLog.queue.url,
      callbacksQueueUrl: callbacks.queue.url,
      asyncDlqUrl: this.asyncDlq.url,
      outboxDlqUrl: this.outboxDlq.url,
    });
  }

  /** Every dead-letter queue, for alarms. */
  get deadLetterQueues(): { readonly logicalName: string; readonly queue: aws.sqs.Queue }[] {
    return [
      {
        logicalName: dlqName(this.transactionLog.definition.logicalName),
        queue: this.transactionLog.dlq,
      },
      { logicalName: dlqName(this.callbacks.definition.logicalName), queue: this.callbacks.dlq },
      { logicalName: 'async-dlq', queue: this.asyncDlq },
      { logicalName: 'outbox-dlq', queue: this.outboxDlq },
    ];
  }
}
