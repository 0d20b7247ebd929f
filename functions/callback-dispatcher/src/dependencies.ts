import { envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createSecretsManagerClient } from '@creditline/adapters/secrets/secrets-manager-client';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import { createSqsClient } from '@creditline/adapters/sqs/sqs-client';
import { createSqsDelayedMessages } from '@creditline/adapters/sqs/delayed-messages';
import { composeDependencies } from './composition.js';
import { dispatcherConfigSchema } from './config.js';

/** Built once per cold start; a bad environment fails the cold start with every problem listed. */
const config = readConfig(dispatcherConfigSchema);

export const dependencies = composeDependencies(
  {
    doc: createDocumentClient(),
    transactionLogTable: config[envNames.transactionLogTable],
    webhooksTable: config[envNames.webhooksTable],
    secrets: createSecretSource({
      client: createSecretsManagerClient(),
      clock: { now: () => new Date() },
    }),
    retries: createSqsDelayedMessages(createSqsClient(), config[envNames.callbacksQueueUrl]),
  },
  { stage: config[envNames.stage], partners: config[envNames.partners] },
  createObservability('callback-dispatcher'),
);
