import { envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createEventBridgeClient } from '@creditline/adapters/eventbridge/eventbridge-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createS3Client } from '@creditline/adapters/s3/s3-client';
import { createSqlClientFromConfig } from '@creditline/adapters/sql/sql-client-from-config';
import { composeDependencies } from './composition.js';
import { depositProcessorConfigSchema } from './config.js';

/** Built once per cold start; a bad environment fails the cold start with every problem listed. */
const config = readConfig(depositProcessorConfigSchema);

export const dependencies = composeDependencies(
  {
    // s3rver (the local runtime) is addressed by path; S3 itself by virtual host.
    s3: createS3Client({ forcePathStyle: config[envNames.stage] === 'local' }),
    doc: createDocumentClient(),
    tables: {
      creditCache: config[envNames.creditCacheTable],
      depositEvents: config[envNames.depositEventsTable],
    },
    sql: createSqlClientFromConfig(config),
    eventBridge: createEventBridgeClient(),
    eventBusName: config[envNames.eventBusName],
  },
  createObservability('deposit-processor'),
);
