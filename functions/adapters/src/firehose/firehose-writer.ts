import { PutRecordBatchCommand, type FirehoseClient } from '@aws-sdk/client-firehose';
import type { PutRecordOutcome, RecordBatchWriter } from './record-batch-writer.js';

/** PutRecordBatch limits: records per call, bytes per call, bytes per record. */
export const firehoseLimits = {
  maxRecords: 500,
  maxBatchBytes: 4 * 1024 * 1024,
  maxRecordBytes: 1_000 * 1024,
} as const;

export interface FirehoseWriterOptions {
  /** Calls per record, the first included; records still failing after that are reported failed. */
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const PERMANENT_ERRORS = new Set([
  'ResourceNotFoundException',
  'InvalidArgumentException',
  'InvalidKMSResourceException',
  'AccessDeniedException',
]);

const isRetryableCallError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return true;
  return !PERMANENT_ERRORS.has(error.name);
};

/** Groups record indexes into calls within the count and byte limits. */
const toCalls = (indexes: readonly number[], sizes: readonly number[]): number[][] => {
  const calls: number[][] = [];
  let current: number[] = [];
  let bytes = 0;
  for (const index of indexes) {
    const size = sizes[index] ?? 0;
    if (
      current.length === firehoseLimits.maxRecords ||
      (current.length > 0 && bytes + size > firehoseLimits.maxBatchBytes)
    ) {
      calls.push(current);
      current = [];
      bytes = 0;
    }
    current.push(index);
    bytes += size;
  }
  if (current.length > 0) calls.push(current);
  return calls;
};

/**
 * The audit sink over Firehose PutRecordBatch. A call can succeed with some records refused
 * (FailedPutCount > 0): exactly those are sent again, with backoff, up to `maxAttempts`.
 */
export const createFirehoseWriter = (
  client: FirehoseClient,
  deliveryStreamName: string,
  options: FirehoseWriterOptions = {},
): RecordBatchWriter => {
  const { maxAttempts = 4, baseDelayMs = 100 } = options;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return {
    async putRecords(records) {
      const data = records.map((record) => Buffer.from(record, 'utf8'));
      const outcomes: PutRecordOutcome[] = data.map((bytes) =>
        bytes.length > firehoseLimits.maxRecordBytes
          ? {
              ok: false,
              errorCode: 'RecordTooLarge',
              errorMessage: `record of ${bytes.length} bytes exceeds ${firehoseLimits.maxRecordBytes}`,
            }
          : { ok: false, errorCode: 'NotSent', errorMessage: 'not sent' },
      );
      let pending = data.flatMap((bytes, index) =>
        bytes.length > firehoseLimits.maxRecordBytes ? [] : [index],
      );
      for (let attempt = 1; pending.length > 0 && attempt <= maxAttempts; attempt += 1) {
        if (attempt > 1) await sleep(baseDelayMs * 2 ** (attempt - 2));
        const retry: number[] = [];
        for (const call of toCalls(
          pending,
          data.map((bytes) => bytes.length),
        )) {
          try {
            const output = await client.send(
              new PutRecordBatchCommand({
                DeliveryStreamName: deliveryStreamName,
                Records: call.map((index) => ({ Data: data[index] })),
              }),
            );
            call.forEach((index, position) => {
              const response = output.RequestResponses?.[position];
              if (response && !response.ErrorCode) {
                outcomes[index] = { ok: true };
              } else {
                outcomes[index] = {
                  ok: false,
                  errorCode: response?.ErrorCode ?? 'NoResponse',
                  errorMessage: response?.ErrorMessage ?? 'no response for the record',
                };
                retry.push(index);
              }
            });
          } catch (error) {
            const errorCode = error instanceof Error ? error.name : 'UnknownError';
            const errorMessage = error instanceof Error ? error.message : String(error);
            for (const index of call) outcomes[index] = { ok: false, errorCode, errorMessage };
            if (isRetryableCallError(error)) retry.push(...call);
          }
        }
        pending = retry;
      }
      return outcomes;
    },
  };
};
