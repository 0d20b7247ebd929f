import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { DepositFileRef, IngestOutcome } from './ingest-deposit-file.js';

export type Ingest = (file: DepositFileRef) => Promise<IngestOutcome>;

const notIngested = {
  OBJECT_NOT_FOUND: 'deposit file no longer exists; nothing to do',
  OBJECT_REPLACED:
    'deposit file was uploaded again since this event; the newer upload has its own event',
} as const satisfies Record<Exclude<IngestOutcome['status'], 'INGESTED'>, string>;

/**
 * Logs and measures each file the use-case ingests, without the use-case knowing: a line per
 * file, the figures of its summary as metrics, and the failure (with the file named) before it
 * is passed on.
 */
export const observeIngestion = (
  ingest: Ingest,
  observability: { readonly logger: Logger; readonly metrics: Metrics },
): Ingest => {
  const { logger, metrics } = observability;
  return async (file) => {
    let outcome: IngestOutcome;
    try {
      outcome = await ingest(file);
    } catch (error) {
      logger.error('deposit file not processed; the event will be retried', {
        bucket: file.bucket,
        key: file.key,
        upload: file.upload,
        error,
      });
      metrics.addMetric('DepositFileFailures', MetricUnit.Count, 1);
      throw error;
    }
    if (outcome.status !== 'INGESTED') {
      logger.warn(notIngested[outcome.status], {
        bucket: file.bucket,
        key: file.key,
        upload: file.upload,
      });
      return outcome;
    }
    const { summary } = outcome;
    logger.info('deposit file processed', { summary });
    metrics.addMetric('DepositRows', MetricUnit.Count, summary.rows);
    metrics.addMetric('DepositsAccepted', MetricUnit.Count, summary.accepted);
    metrics.addMetric('DepositDuplicates', MetricUnit.Count, summary.duplicates);
    metrics.addMetric('DepositRowsRejected', MetricUnit.Count, summary.rejected);
    metrics.addMetric('DepositCreditedCents', MetricUnit.Count, summary.credited_amount);
    metrics.addMetric('DepositFileDuration', MetricUnit.Milliseconds, summary.duration_ms);
    if (summary.status !== 'PROCESSED')
      metrics.addMetric('DepositFilesNotProcessed', MetricUnit.Count, 1);
    return outcome;
  };
};
