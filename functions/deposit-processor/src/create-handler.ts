import type { Context } from 'aws-lambda';
import type { DepositProcessorDependencies } from './composition.js';
import type { IngestOutcome } from './ingest-deposit-file.js';
import { depositFilesOf, s3EventSchema } from './s3-object-created-event.js';

/**
 * DepositProcessor: S3 ObjectCreated events for `inbox/`. The files of one event are ingested one
 * after another (each streams; memory is one file's). A file that fails does not stop the others;
 * the invocation then fails so S3 retries the event, and the files already done report the same
 * figures again, crediting nothing twice.
 */
export const createHandler =
  (deps: DepositProcessorDependencies) =>
  async (event: unknown, context?: Context): Promise<IngestOutcome[]> => {
    if (context !== undefined) deps.logger.addContext(context);
    try {
      const { files, ignored } = depositFilesOf(s3EventSchema.parse(event));
      if (ignored.length > 0) deps.logger.info('objects ignored', { ignored });
      const settled = [];
      for (const file of files)
        settled.push(
          await deps.ingest(file).then(
            (outcome) => ({ outcome }),
            (error: unknown) => ({ error }),
          ),
        );
      const failures = settled.flatMap((result) => ('error' in result ? [result.error] : []));
      if (failures.length > 0)
        throw new AggregateError(
          failures,
          `${failures.length} of ${files.length} deposit file(s) failed`,
        );
      return settled.flatMap((result) => ('outcome' in result ? [result.outcome] : []));
    } finally {
      if (deps.metrics.hasStoredMetrics()) deps.metrics.publishStoredMetrics();
    }
  };
