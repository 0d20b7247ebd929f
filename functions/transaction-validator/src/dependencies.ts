import { envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { lazyEventPublisher } from '@creditline/adapters/eventbridge/lazy-event-publisher';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { lazySqlClient } from '@creditline/adapters/sql/lazy-sql-client';
import { composeDependencies, createStores } from './composition.js';
import { validatorConfigSchema } from './config.js';

/** Built once per cold start; a bad environment fails the cold start with every problem listed. */
const config = readConfig(validatorConfigSchema);
const { logger, metrics } = createObservability('transaction-validator');

/*
 * Every request reads DynamoDB, so its client is built here. Aurora (a user the cache does not
 * hold yet, controls) and EventBridge (ControlsChanged) are the rare paths: their clients are
 * imported and built on first use, which keeps them out of the cold start.
 */
const sql = lazySqlClient(async () => {
  const { createSqlClientFromConfig } =
    await import('@creditline/adapters/sql/sql-client-from-config');
  return createSqlClientFromConfig(config);
});
const publisher = lazyEventPublisher(async () => {
  const [{ createEventBridgePublisher }, { createEventBridgeClient }] = await Promise.all([
    import('@creditline/adapters/eventbridge/event-bridge-publisher'),
    import('@creditline/adapters/eventbridge/eventbridge-client'),
  ]);
  return createEventBridgePublisher(createEventBridgeClient(), config[envNames.eventBusName]);
});

export const dependencies = composeDependencies({
  stores: createStores({
    doc: createDocumentClient(),
    // Holds are never retried by the SDK: see CreditCacheStoreOptions.
    operationsDoc: createDocumentClient({ maxAttempts: 1 }),
    sql,
    tables: {
      creditCache: config[envNames.creditCacheTable],
      transactionLog: config[envNames.transactionLogTable],
      webhooks: config[envNames.webhooksTable],
    },
    partners: config[envNames.partners],
  }),
  publisher,
  partners: config[envNames.partners],
  stage: config[envNames.stage],
  logger,
  metrics,
});
