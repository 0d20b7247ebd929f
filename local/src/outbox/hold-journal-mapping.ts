import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Partner } from '@creditline/adapters/config/env';
import type { TableNames } from '@creditline/adapters/definitions';
import type { EventPublisher } from '@creditline/domain';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { composeJournal } from '@creditline/transaction-validator/journal/composition';
import { createJournalHandler } from '@creditline/transaction-validator/journal/create-journal-handler';
import type { DynamoDBRecord } from 'aws-lambda';
import {
  createStreamPoller,
  type StreamPoller,
  type StreamPollerOptions,
} from './stream-poller.js';

/**
 * The hold journal's event source mapping, played in process: the CreditCache stream handed to
 * its Lambda batch by batch. A batch with a failed record is not checkpointed, so it is read
 * again, as Lambda retries a shard. The local runtime and the simulation both run it.
 */
export const createHoldJournalMapping = (
  options: Pick<
    StreamPollerOptions,
    'dynamo' | 'streams' | 'checkpointFile' | 'pollIntervalMs' | 'onError'
  > & {
    readonly doc: DynamoDBDocumentClient;
    readonly tables: Pick<TableNames, 'creditCache' | 'transactionLog'>;
    /** The bus: balance monitor crossings are published on it. */
    readonly publisher: EventPublisher;
    readonly partners: readonly Partner[];
  },
): StreamPoller => {
  const handler = createJournalHandler(
    composeJournal({
      doc: options.doc,
      tables: options.tables,
      publisher: options.publisher,
      partners: options.partners,
      ...createObservability('hold-journal'),
    }),
  );
  return createStreamPoller({
    dynamo: options.dynamo,
    streams: options.streams,
    tableName: options.tables.creditCache,
    consume: async (records) => {
      const { batchItemFailures } = await handler({
        Records: records as unknown as DynamoDBRecord[],
      });
      if (batchItemFailures.length > 0)
        throw new Error(
          `hold journal: ${batchItemFailures.length} record(s) failed; the batch is read again`,
        );
    },
    checkpointFile: options.checkpointFile,
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: options.pollIntervalMs } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
};
