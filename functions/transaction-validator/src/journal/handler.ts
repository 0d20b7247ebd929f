import { configPieces, envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createEventBridgePublisher } from '@creditline/adapters/eventbridge/event-bridge-publisher';
import { createEventBridgeClient } from '@creditline/adapters/eventbridge/eventbridge-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { composeJournal } from './composition.js';
import { createJournalHandler } from './create-journal-handler.js';

/**
 * HoldJournal: the CreditCache stream → every hold ends decided or given back, and every change
 * of a balance is judged by the partner's monitors (BalanceLow / BalanceRestored on the bus).
 */
const config = readConfig(
  configPieces.stage
    .extend(configPieces.tables.shape)
    .extend(configPieces.eventBus.shape)
    .extend(configPieces.partners.shape),
);
const { logger, metrics } = createObservability('hold-journal');

export const handler = createJournalHandler(
  composeJournal({
    doc: createDocumentClient(),
    tables: {
      creditCache: config[envNames.creditCacheTable],
      transactionLog: config[envNames.transactionLogTable],
    },
    publisher: createEventBridgePublisher(createEventBridgeClient(), config[envNames.eventBusName]),
    partners: config[envNames.partners],
    logger,
    metrics,
  }),
);
