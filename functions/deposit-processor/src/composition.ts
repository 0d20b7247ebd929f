import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { TableNames } from '@creditline/adapters/definitions';
import { createDynamoDepositLedger } from '@creditline/adapters/dynamodb/deposit-ledger';
import { createEventBridgePublisher } from '@creditline/adapters/eventbridge/event-bridge-publisher';
import { createS3ObjectSource } from '@creditline/adapters/s3/s3-object-source';
import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import { createSqlDepositRepository } from '@creditline/adapters/sql/deposit-repository';
import type { Clock, DepositLedger, DepositRepository, SqlClient } from '@creditline/domain';
import { ingestDepositFile, type IngestSettings } from './ingest-deposit-file.js';
import { observeIngestion, type Ingest } from './observe-ingestion.js';
import { retryingLedger, retryingRepository, type RetryPolicy } from './retrying.js';

/** The clients the adapters are built over: AWS in Lambda, the stand-ins locally and in tests. */
export interface DepositProcessorClients {
  readonly s3: Parameters<typeof createS3ObjectSource>[0];
  readonly doc: Parameters<typeof createDynamoDepositLedger>[0];
  readonly tables: Pick<TableNames, 'creditCache' | 'depositEvents'>;
  readonly sql: SqlClient;
  readonly eventBridge: Parameters<typeof createEventBridgePublisher>[0];
  readonly eventBusName: string;
}

/** What tests and benchmarks may change: the time, the tuning, a port wrapped (a crash injected). */
export interface DepositProcessorOptions {
  readonly clock?: Clock;
  readonly settings?: IngestSettings;
  readonly retryPolicy?: RetryPolicy;
  readonly wrapLedger?: (ledger: DepositLedger) => DepositLedger;
  readonly wrapRepository?: (repository: DepositRepository) => DepositRepository;
}

export interface DepositProcessorDependencies {
  readonly ingest: Ingest;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

const systemClock: Clock = { now: () => new Date() };

export const composeDependencies = (
  clients: DepositProcessorClients,
  observability: { readonly logger: Logger; readonly metrics: Metrics },
  options: DepositProcessorOptions = {},
): DepositProcessorDependencies => {
  const ledger = createDynamoDepositLedger(clients.doc, clients.tables);
  const repository = createSqlDepositRepository(clients.sql);
  const dependencies = {
    source: createS3ObjectSource(clients.s3),
    writer: createS3ObjectWriter(clients.s3),
    ledger: retryingLedger(options.wrapLedger?.(ledger) ?? ledger, options.retryPolicy),
    repository: retryingRepository(
      options.wrapRepository?.(repository) ?? repository,
      options.retryPolicy,
    ),
    publisher: createEventBridgePublisher(clients.eventBridge, clients.eventBusName),
    clock: options.clock ?? systemClock,
    ...(options.settings === undefined ? {} : { settings: options.settings }),
  };
  return {
    ingest: observeIngestion((file) => ingestDepositFile(file, dependencies), observability),
    ...observability,
  };
};
