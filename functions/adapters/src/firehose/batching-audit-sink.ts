import { RetryableStoreError } from '@creditline/domain';
import type { RecordBatchWriter } from './record-batch-writer.js';

/** One audit record per line: the JSON of the record and a newline (what Firehose concatenates). */
export const toAuditLine = (record: object): string => `${JSON.stringify(record)}\n`;

export class AuditWriteError extends RetryableStoreError {}

export interface BatchingAuditSink<T extends object> {
  /** Resolves when the record is in the audit stream; rejects (AuditWriteError) when it could not be put. */
  append(record: T): Promise<void>;
  /** Sends what is waiting now. */
  flush(): Promise<void>;
}

export interface BatchingOptions {
  /** How long the first waiting record waits for others to join its call. */
  readonly lingerMs?: number;
  readonly maxRecords?: number;
}

interface Waiting {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Lets the records of one SQS batch, each handled by its own per-record function, share
 * PutRecordBatch calls: appends made within `lingerMs` of each other travel together, and
 * each caller learns the fate of its own record only.
 */
export const createBatchingAuditSink = <T extends object>(
  writer: RecordBatchWriter,
  options: BatchingOptions = {},
): BatchingAuditSink<T> => {
  const { lingerMs = 20, maxRecords = 500 } = options;
  let waiting: Waiting[] = [];
  let timer: NodeJS.Timeout | undefined;

  const send = async (batch: Waiting[]): Promise<void> => {
    try {
      const outcomes = await writer.putRecords(batch.map((entry) => entry.line));
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (outcome?.ok) entry.resolve();
        else
          entry.reject(
            new AuditWriteError(
              `audit record not delivered: ${outcome ? `${outcome.errorCode}: ${outcome.errorMessage}` : 'no outcome'}`,
              outcome?.errorCode,
            ),
          );
      });
    } catch (error) {
      const failure = new AuditWriteError(
        `audit records not delivered: ${error instanceof Error ? error.message : String(error)}`,
        undefined,
        { cause: error },
      );
      for (const entry of batch) entry.reject(failure);
    }
  };

  const flush = async (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length > 0) await send(batch);
  };

  return {
    append: (record) =>
      new Promise<void>((resolve, reject) => {
        waiting.push({ line: toAuditLine(record), resolve, reject });
        if (waiting.length >= maxRecords) void flush();
        else timer ??= setTimeout(() => void flush(), lingerMs);
      }),
    flush,
  };
};
