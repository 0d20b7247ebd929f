import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { TableNames } from '@creditline/adapters/definitions';
import { createCreditCacheStore } from '@creditline/adapters/dynamodb/credit-cache-store';
import { createOrphanHolds } from '@creditline/adapters/dynamodb/orphan-holds';
import { createTransactionLogStore } from '@creditline/adapters/dynamodb/transaction-log-store';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Partner } from '@creditline/adapters/config/env';
import type { Clock, EventPublisher } from '@creditline/domain';
import { programControlsOf } from '../program-controls.js';
import type { JournalDependencies } from './create-journal-handler.js';
import { createHealHold } from './heal-hold.js';
import { createWatchBalance } from './watch-balance.js';

/** The hold journal over the real stores, built once per cold start. */
export const composeJournal = (parts: {
  readonly doc: DynamoDBDocumentClient;
  readonly tables: Pick<TableNames, 'creditCache' | 'transactionLog'>;
  /** Where BalanceLow / BalanceRestored go (the bus). */
  readonly publisher: EventPublisher;
  readonly partners: readonly Partner[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: Clock;
}): JournalDependencies => {
  const program = programControlsOf(parts.partners);
  return {
    watchBalance: createWatchBalance({
      publisher: parts.publisher,
      programMonitors: (partnerId) => program(partnerId).balance_monitors,
    }),
    healHold: createHealHold({
      decisions: createTransactionLogStore(parts.doc, parts.tables),
      orphans: createOrphanHolds(parts.doc, parts.tables),
      accounts: createCreditCacheStore(parts.doc, parts.tables.creditCache),
      clock: parts.clock ?? { now: () => new Date() },
    }),
    logger: parts.logger,
    metrics: parts.metrics,
  };
};
