import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { BooksTableNames } from '@creditline/adapters/definitions';
import { createReconciliationRepairStore } from '@creditline/adapters/dynamodb/reconciliation-repairs';
import { createReconciliationScans } from '@creditline/adapters/dynamodb/reconciliation-scans';
import { createSqlDepositRepository } from '@creditline/adapters/sql/deposit-repository';
import {
  createReconciliationRepository,
  type ReconciliationRepositoryOptions,
} from '@creditline/adapters/sql/reconciliation-repository';
import type {
  Clock,
  EventPublisher,
  ObjectWriter,
  QueueAdmin,
  SqlClient,
} from '@creditline/domain';
import { createDeadLetters } from './dead-letters.js';
import type { ReconcileDependencies, RunObserver } from './ports.js';
import { createPowertoolsObserver } from './powertools-observer.js';
import { createReconcile, type Reconcile } from './reconcile.js';
import { createReportWriter } from './report-writer.js';
import { defaultRunSettings, type RunSettings } from './config.js';

/** The clients and names the adapters are built over: AWS in Lambda, the stand-ins locally and in tests. */
export interface ReconciliationClients {
  /** The low-level client, for the Scans (raw attribute values decode faster than documents). */
  readonly dynamo: DynamoDBClient;
  readonly doc: Parameters<typeof createReconciliationRepairStore>[0];
  readonly sql: SqlClient;
  readonly tables: BooksTableNames;
  readonly objects: ObjectWriter;
  readonly reportsBucket: string;
  readonly publisher: EventPublisher;
  /** The callbacks dead-letter queue is read through it. */
  readonly queueAdmin: QueueAdmin;
  readonly sqlPaging?: ReconciliationRepositoryOptions;
}

const systemClock: Clock = { now: () => new Date() };

/** The reconcile use-case's ports, as adapters over the clients. */
export const createReconcileDependencies = (
  clients: ReconciliationClients,
  observer: RunObserver,
  clock: Clock = systemClock,
): ReconcileDependencies => {
  const books = createReconciliationRepository(clients.sql, clients.sqlPaging);
  return {
    books,
    runLog: books,
    liveStores: createReconciliationScans(clients.dynamo, clients.tables),
    repairStore: createReconciliationRepairStore(clients.doc, clients.tables),
    depositRepository: createSqlDepositRepository(clients.sql),
    deadLetters: createDeadLetters(clients.queueAdmin),
    reports: createReportWriter(clients.objects, clients.reportsBucket),
    publisher: clients.publisher,
    observer,
    clock,
  };
};

/** Everything the handler uses, built once per cold start. */
export interface ReconciliationDependencies {
  readonly reconcile: Reconcile;
  readonly settings: RunSettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export const composeDependencies = (parts: {
  readonly clients: ReconciliationClients;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: Clock;
  readonly settings?: RunSettings;
}): ReconciliationDependencies => {
  const clock = parts.clock ?? systemClock;
  const observer = createPowertoolsObserver(parts.logger, parts.metrics);
  return {
    reconcile: createReconcile(createReconcileDependencies(parts.clients, observer, clock)),
    settings: parts.settings ?? defaultRunSettings,
    clock,
    logger: parts.logger,
    metrics: parts.metrics,
  };
};
