import { envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createFirehoseClient } from '@creditline/adapters/firehose/firehose-client';
import { createFirehoseWriter } from '@creditline/adapters/firehose/firehose-writer';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createSqlClientFromConfig } from '@creditline/adapters/sql/sql-client-from-config';
import { composeDependencies } from './composition.js';
import { loggerConfigSchema } from './config.js';

/** Built once per cold start; a bad environment fails the cold start with every problem listed. */
const config = readConfig(loggerConfigSchema);

export const dependencies = composeDependencies(
  {
    sql: createSqlClientFromConfig(config),
    doc: createDocumentClient(),
    transactionLogTable: config[envNames.transactionLogTable],
    auditWriter: createFirehoseWriter(createFirehoseClient(), config[envNames.auditStream]),
  },
  createObservability('transaction-logger'),
);
