import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { callbacksQueue } from '@creditline/adapters/definitions';
import { envNames, readConfig } from '@creditline/adapters/config/env';
import { createEventBridgeClient } from '@creditline/adapters/eventbridge/eventbridge-client';
import { createEventBridgePublisher } from '@creditline/adapters/eventbridge/event-bridge-publisher';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createS3Client } from '@creditline/adapters/s3/s3-client';
import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import { createSqlClientFromConfig } from '@creditline/adapters/sql/sql-client-from-config';
import { createSqsClient } from '@creditline/adapters/sqs/sqs-client';
import { createSqsQueueAdmin } from '@creditline/adapters/sqs/queue-admin';
import { composeDependencies } from './composition.js';
import { reconciliationConfigSchema } from './config.js';

/** Built once per cold start; a bad environment fails the cold start with every problem listed. */
const config = readConfig(reconciliationConfigSchema);
const { logger, metrics } = createObservability('reconciliation');

export const dependencies = composeDependencies({
  clients: {
    dynamo: new DynamoDBClient({ maxAttempts: 5 }),
    doc: createDocumentClient(),
    sql: createSqlClientFromConfig(config),
    tables: {
      creditCache: config[envNames.creditCacheTable],
      depositEvents: config[envNames.depositEventsTable],
      transactionLog: config[envNames.transactionLogTable],
    },
    objects: createS3ObjectWriter(createS3Client()),
    reportsBucket: config[envNames.reportsBucket],
    publisher: createEventBridgePublisher(createEventBridgeClient(), config[envNames.eventBusName]),
    queueAdmin: createSqsQueueAdmin(createSqsClient(), [
      { name: callbacksQueue.logicalName, dlqUrl: config[envNames.callbacksDlqUrl] },
    ]),
  },
  logger,
  metrics,
});
