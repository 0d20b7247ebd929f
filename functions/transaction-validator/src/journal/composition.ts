import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { TableNames } from '@creditline/adapters/definitions';
import { createCreditCacheStore } from '@creditline/adapters/dynamodb/credit-cache-store';
import { createOrphanHolds } from '@creditline/adapters/dynamodb/orphan-holds';
import { createTransactionLogStore } from '@creditline/adapters/dynamodb/transaction-log-store';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Partner } from '@creditline/adapters/config/env';
import type { Cents, Clock, EventPublisher } from '@creditline/domain';
import type { JournalDependencies } from './create-journal-handler.js';
import { createHealHold } from './heal-hold.js';
import { createWatchBalance } from './watch-balance.js';

const programMonitorsOf = (partners: readonly Partner[]) => {
  const monitors = new Map(
    partners.map((partner) => [partner.id, partner.controls?.balance_monitors ?? []] as const),
  );
  return (partnerId: string): readonly Cents[] => monitors.get(partnerId) ?? [];
};

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
}): JournalDependencies => ({
  watchBalance: createWatchBalance({
    publisher: parts.publisher,
    programMonitors: programMonitorsOf(parts.partners),
  }),
  healHold: createHealHold({
    decisions: createTransactionLogStore(parts.doc, parts.tables),
    orphans: createOrphanHolds(parts.doc, parts.tables),
    accounts: createCreditCacheStore(parts.doc, parts.tables.creditCache),
    clock: parts.clock ?? { now: () => new Date() },
  }),
  logger: parts.logger,
  metrics: parts.metrics,
});
