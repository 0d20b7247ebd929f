import { SQSClient } from '@aws-sdk/client-sqs';
import { callbacksQueue, queues, tableNames } from '@creditline/adapters/definitions';
import { createEventBridgePublisher } from '@creditline/adapters/eventbridge/event-bridge-publisher';
import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import { createSqsQueueAdmin, type AdministeredQueue } from '@creditline/adapters/sqs/queue-admin';
import { createObservability } from '@creditline/adapters/observability/powertools';
import type { QueueAdmin } from '@creditline/domain';
import { createReconcileDependencies } from '@creditline/reconciliation/composition';
import { createPowertoolsObserver } from '@creditline/reconciliation/powertools-observer';
import { createReconcile } from '@creditline/reconciliation/reconcile';
import { runReconcileCommand } from '../../commands/reconcile.js';
import { listDeadLetters, redriveDeadLetters } from '../../commands/dlq.js';
import { createLocalClients } from '../../runtime/local-clients.js';
import { localDlqUrl } from '../../runtime/local-aws-endpoint.js';
import { localNames } from '../../runtime/settings.js';
import { defineCommand, UsageError } from '../command.js';
import { printJson } from '../http.js';
import { readRuntimeInfo } from '../runtime-info.js';

type Values = Record<string, string | boolean | undefined>;
const dataDirOf = (values: Values): string => (typeof values['data-dir'] === 'string' ? values['data-dir'] : '.data');

export const reconcileCommand = defineCommand({
  name: 'reconcile',
  summary: 'Proves the books balance: deposits minus permitted spends against every balance, DynamoDB against Aurora.',
  usage: '[--repair] [--segments 4]',
  help: 'Exit code 0 when the books balance, 2 when drift was found. --repair fixes what is safe to fix, each repair logged.',
  options: { repair: { type: 'boolean', default: false }, segments: { type: 'string' }, 'data-dir': { type: 'string', default: '.data' } },
  async run({ values }) {
    const info = readRuntimeInfo(dataDirOf(values));
    process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    const clients = createLocalClients(info);
    const { logger, metrics } = createObservability('reconciliation');
    const reconcile = createReconcile(
      createReconcileDependencies(
        {
          dynamo: clients.dynamo,
          doc: clients.doc,
          sql: clients.sql,
          tables: tableNames(localNames.prefix),
          objects: createS3ObjectWriter(clients.s3),
          reportsBucket: localNames.reportsBucket,
          // A re-published decision goes through the runtime's bus, as the Pipe's would.
          publisher: createEventBridgePublisher(clients.eventBridge(), localNames.eventBus),
          queueAdmin: createSqsQueueAdmin(clients.sqs(), [{ name: callbacksQueue.logicalName, dlqUrl: localDlqUrl(info.awsEndpoint, callbacksQueue) }]),
        },
        createPowertoolsObserver(logger, metrics),
      ),
    );
    const segments = typeof values.segments === 'string' ? Number(values.segments) : undefined;
    if (segments !== undefined && (!Number.isInteger(segments) || segments < 1 || segments > 64)) throw new UsageError('--segments must be a whole number from 1 to 64');
    try {
      const result = await runReconcileCommand(reconcile, { repair: values.repair === true, ...(segments ? { segments } : {}) }, { out: process.stdout });
      return result.exitCode;
    } finally {
      await clients.close();
    }
  },
});

/**
 * The queue admin the dlq commands use: the running local system's queues through the same SQS
 * adapter as AWS (pointed at the runtime's endpoint), or real queues with `--dlq-url`.
 */
const queueAdminFor = (values: Values): QueueAdmin => {
  const queue = typeof values.queue === 'string' ? values.queue : callbacksQueue.logicalName;
  if (!queues.some((candidate) => candidate.logicalName === queue)) {
    throw new UsageError(`--queue must be one of ${queues.map((candidate) => candidate.logicalName).join(', ')}`);
  }
  if (typeof values['dlq-url'] === 'string') {
    // Real SQS: region and credentials come from the usual AWS environment and profiles.
    return createSqsQueueAdmin(new SQSClient({}), [{ name: queue, dlqUrl: values['dlq-url'] }]);
  }
  const info = readRuntimeInfo(dataDirOf(values));
  const administered: AdministeredQueue[] = queues.map((definition) => ({
    name: definition.logicalName,
    dlqUrl: localDlqUrl(info.awsEndpoint, definition),
  }));
  return createSqsQueueAdmin(createLocalClients(info).sqs(), administered);
};

const dlqOptions = {
  queue: { type: 'string', default: callbacksQueue.logicalName },
  'dlq-url': { type: 'string' },
  'data-dir': { type: 'string', default: '.data' },
} as const;

export const dlqListCommand = defineCommand({
  name: 'dlq list',
  summary: "Lists a queue's dead letters without consuming them.",
  usage: '[--queue callbacks|transaction-log] [--dlq-url <real SQS DLQ url>] [--limit 100]',
  options: { ...dlqOptions, limit: { type: 'string', default: '100' } },
  async run({ values }) {
    const queue = typeof values.queue === 'string' ? values.queue : callbacksQueue.logicalName;
    const letters = await listDeadLetters(queueAdminFor(values), queue, { limit: Number(values.limit) || 100 });
    printJson(letters.map(({ body: _body, ...letter }) => letter));
    process.stderr.write(`${letters.length} dead letter(s) in ${queue}\n`);
    return 0;
  },
});

export const dlqRedriveCommand = defineCommand({
  name: 'dlq redrive',
  summary: "Moves a queue's dead letters back to it, to be delivered again.",
  usage: '[--queue callbacks|transaction-log] [--dlq-url <real SQS DLQ url>]',
  options: dlqOptions,
  async run({ values }) {
    const queue = typeof values.queue === 'string' ? values.queue : callbacksQueue.logicalName;
    const result = await redriveDeadLetters(queueAdminFor(values), queue);
    printJson(result);
    return 0;
  },
});
