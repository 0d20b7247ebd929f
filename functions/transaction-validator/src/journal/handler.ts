import { configPieces, envNames, readConfig } from '@creditline/adapters/config/env';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { composeJournal } from './composition.js';
import { createJournalHandler } from './create-journal-handler.js';

/** HoldJournal: the CreditCache stream → every hold ends decided or given back. */
const config = readConfig(configPieces.stage.extend(configPieces.tables.shape));
const { logger, metrics } = createObservability('hold-journal');

export const handler = createJournalHandler(
  composeJournal({
    doc: createDocumentClient(),
    tables: {
      creditCache: config[envNames.creditCacheTable],
      transactionLog: config[envNames.transactionLogTable],
    },
    logger,
    metrics,
  }),
);
