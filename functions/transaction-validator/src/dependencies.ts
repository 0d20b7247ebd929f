import { envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createEventBridgePublisher } from '@creditline/adapters/eventbridge/event-bridge-publisher';
import { createEventBridgeClient } from '@creditline/adapters/eventbridge/eventbridge-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createSqlClientFromConfig } from '@creditline/adapters/sql/sql-client-from-config';
import { composeDependencies, createStores } from './composition.js';
import { validatorConfigSchema } from './config.js';

/** Built once per cold start; a bad environment fails the cold start with every problem listed. */
const config = readConfig(validatorConfigSchema);
const { logger, metrics } = createObservability('transaction-validator');

export const dependencies = composeDependencies({
  stores: createStores({
    doc: createDocumentClient(),
    // Holds are never retried by the SDK: see CreditCacheStoreOptions.
    operationsDoc: createDocumentClient({ maxAttempts: 1 }),
    sql: createSqlClientFromConfig(config),
    tables: {
      creditCache: config[envNames.creditCacheTable],
      transactionLog: config[envNames.transactionLogTable],
      webhooks: config[envNames.webhooksTable],
    },
    partners: config[envNames.partners],
  }),
  publisher: createEventBridgePublisher(createEventBridgeClient(), config[envNames.eventBusName]),
  partners: config[envNames.partners],
  stage: config[envNames.stage],
  logger,
  metrics,
});
