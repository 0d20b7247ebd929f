import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { TableNames } from '@creditline/adapters/definitions';
import { createOrphanHolds } from '@creditline/adapters/dynamodb/orphan-holds';
import { createTransactionLogStore } from '@creditline/adapters/dynamodb/transaction-log-store';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock } from '@creditline/domain';
import type { JournalDependencies } from './create-journal-handler.js';
import { createHealHold } from './heal-hold.js';

/** The hold journal over the real stores, built once per cold start. */
export const composeJournal = (parts: {
  readonly doc: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'creditCache' | 'transactionLog'>;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: Clock;
}): JournalDependencies => ({
  healHold: createHealHold({
    decisions: createTransactionLogStore(parts.doc, parts.tables),
    orphans: createOrphanHolds(parts.doc, parts.tables),
    clock: parts.clock ?? { now: () => new Date() },
  }),
  logger: parts.logger,
  metrics: parts.metrics,
});
