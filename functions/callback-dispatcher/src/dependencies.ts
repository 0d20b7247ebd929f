import { envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createSecretsManagerClient } from '@creditline/adapters/secrets/secrets-manager-client';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import { createSqsClient } from '@creditline/adapters/sqs/sqs-client';
import { createSqsVisibility } from '@creditline/adapters/sqs/visibility';
import { composeDependencies } from './composition.js';
import { dispatcherConfigSchema } from './config.js';

/** Built once per cold start; a bad environment fails the cold start with every problem listed. */
const config = readConfig(dispatcherConfigSchema);

export const dependencies = composeDependencies(
  {
    doc: createDocumentClient(),
    transactionLogTable: config[envNames.transactionLogTable],
    secrets: createSecretSource({
      client: createSecretsManagerClient(),
      clock: { now: () => new Date() },
    }),
    visibility: createSqsVisibility(createSqsClient(), config[envNames.callbacksQueueUrl]),
  },
  { stage: config[envNames.stage], partners: config[envNames.partners] },
  createObservability('callback-dispatcher'),
);
