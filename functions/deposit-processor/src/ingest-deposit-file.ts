import {
  depositFileProcessedDetailSchema,
  formatMoney,
  isBlankRecord,
  type BusEvent,
  type Clock,
  type DepositCredit,
  type DepositLedger,
  type DepositRepository,
  type DepositRowRules,
  type EventPublisher,
  type ObjectSource,
  type ObjectWriter,
  type RecordedDuplicate,
} from '@creditline/domain';
import { depositFileLimits, detailTypes, eventSources } from '@creditline/adapters/definitions';
import { createBatchPipeline } from './batch-pipeline.js';
import { creditBatch } from './credit-batch.js';
import { readCsvRecords } from './csv-records.js';
import { createDepositBatcher } from './deposit-batcher.js';
import type { DepositFileSummary } from './deposit-file-summary.js';
import { readDepositFileHeader } from './deposit-file-header.js';
import { createDepositFileTally, type FileProblem } from './deposit-file-tally.js';
import { createDepositRowJudge, type DepositRowJudge } from './deposit-row-judge.js';
import { createErrorsReport, type ErrorsFileEntry } from './errors-report.js';
import { errorsKey, summaryKey } from './output-keys.js';
import { readUtf8Text, type Utf8Failure } from './utf8-text.js';

/** The object an S3 event named, and which upload of it. */
export interface DepositFileRef {
  readonly bucket: string;
  readonly key: string;
  /** The partner whose inbox prefix the key is under: every deposit of the file is its. */
  readonly partner_id: string;
  /** The event's sequencer: a retried event repeats it, a re-upload of the key brings a new one. */
  readonly upload: string;
  /** The ETag the event reported, to tell whether the object read is still the upload it is about. */
  readonly etag?: string;
}

export interface IngestSettings {
  /** Batches written at once while the file is read on (default 4). */
  readonly concurrency?: number;
  /** Items (deposits + distinct users) per ledger transaction, at most the ledger's maximum (the default). */
  readonly batchItems?: number;
  /** Files larger than this are refused whole (default `depositFileLimits.maxBytes`). */
  readonly maxFileBytes?: number;
  /** Characters one CSV record may span before the rest of the file is given up (default 1 MiB). */
  readonly maxRecordChars?: number;
  /** Row rules besides the time: largest amount, clock skew tolerated. */
  readonly rules?: Omit<DepositRowRules, 'now'>;
}

export interface IngestDependencies {
  readonly source: ObjectSource;
  readonly writer: ObjectWriter;
  readonly ledger: DepositLedger;
  readonly repository: DepositRepository;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  readonly settings?: IngestSettings;
}

export type IngestOutcome =
  | { readonly status: 'OBJECT_NOT_FOUND' }
  /** The key holds another upload now; that upload's own event will bring it. */
  | { readonly status: 'OBJECT_REPLACED' }
  | { readonly status: 'INGESTED'; readonly summary: DepositFileSummary };

interface PendingDeposit {
  readonly credit: DepositCredit;
  readonly raw: string;
}

const conflictEntry = ({ offered, recorded }: RecordedDuplicate, raw: string): ErrorsFileEntry => ({
  line: offered.source_line,
  raw,
  reason: 'CONFLICT_WITH_CREDITED',
  message:
    `line ${offered.source_line}: deposit_id "${offered.deposit_id}" was already credited to user_id ` +
    `"${recorded.user_id}", ${formatMoney(recorded.amount)} (${recorded.source_key} line ${recorded.source_line}); ` +
    `this row says user_id "${offered.user_id}", ${formatMoney(offered.amount)}, and was not credited`,
});

/** Why the text ended before the file did: bytes that are not UTF-8, or a quote that never closes. */
const unreadRest = (
  brokenUtf8: Utf8Failure | null,
  abandonedAt: number | null,
): { problem: FileProblem; entry?: ErrorsFileEntry } | null => {
  if (brokenUtf8 !== null) {
    const { line, byteOffset } = brokenUtf8;
    const message =
      `line ${line}: not UTF-8 (at byte offset ${byteOffset}); the lines before it were processed, ` +
      `this line and those after it were not. Save the file as UTF-8 and upload it again`;
    return {
      problem: { status: 'NOT_UTF8', message, line },
      entry: { line, raw: '', reason: 'NOT_UTF8', message },
    };
  }
  if (abandonedAt === null) return null;
  const message = `line ${abandonedAt}: a quoted field opened here never closes; the lines from here on were not read`;
  return { problem: { status: 'NOT_CSV', message, line: abandonedAt } };
};

/**
 * Reads one deposit file from the object store and credits each new deposit once.
 *
 * The object is streamed: bytes → strict UTF-8 text → CSV records → header and row rules →
 * batches, written a few at a time (ledger, then books) while reading goes on, so memory holds a
 * few batches and the in-file dedup whatever the file's size. A bad row is reported in the errors
 * file and never stops the file; a file that cannot be read (empty, not CSV, bad header, not
 * UTF-8) is reported in its summary. Every step can be repeated: a retried event credits nothing
 * twice and reports the same figures.
 */
export const ingestDepositFile = async (
  file: DepositFileRef,
  deps: IngestDependencies,
): Promise<IngestOutcome> => {
  const startedAt = deps.clock.now();
  const opened = await deps.source.open(file);
  if (opened === null) return { status: 'OBJECT_NOT_FOUND' };
  // Crediting another upload's rows under this event's upload would report them as its own.
  if (file.etag !== undefined && opened.etag !== undefined && file.etag !== opened.etag) {
    await opened.body[Symbol.asyncIterator]().return?.(); // releases the connection unread
    return { status: 'OBJECT_REPLACED' };
  }

  const settings = deps.settings ?? {};
  const creditedAt = startedAt.toISOString();
  const tally = createDepositFileTally();
  const errors = createErrorsReport(deps.writer, { bucket: file.bucket, key: errorsKey(file.key) });
  const finish = async (
    problem: FileProblem | null,
    facts: { headerRead: boolean; extraColumns: readonly string[] },
  ): Promise<IngestOutcome> => {
    const finishedAt = deps.clock.now();
    const summary = tally.summarize({
      bucket: file.bucket,
      key: file.key,
      sourceUpload: file.upload,
      ...facts,
      problem,
      errorsKey: await errors.finish(),
      durationMs: finishedAt.getTime() - startedAt.getTime(),
      processedAt: finishedAt.toISOString(),
    });
    await deps.writer.put(
      { bucket: file.bucket, key: summaryKey(file.key) },
      `${JSON.stringify(summary, null, 2)}\n`,
      'application/json',
    );
    const event: BusEvent = {
      source: eventSources.deposits,
      detailType: detailTypes.depositFileProcessed,
      detail: depositFileProcessedDetailSchema.parse(summary),
      time: finishedAt,
    };
    await deps.publisher.publish([event]);
    return { status: 'INGESTED', summary };
  };

  // A file that could not finish inside the timeout would start over on every retry: refused
  // whole, at once, before a byte is read.
  const tooLarge = tooLargeProblem(
    opened.size,
    settings.maxFileBytes ?? depositFileLimits.maxBytes,
  );
  if (tooLarge !== null) {
    await opened.body[Symbol.asyncIterator]().return?.(); // releases the connection unread
    return finish(tooLarge, { headerRead: false, extraColumns: [] });
  }

  const batchItems = Math.min(
    settings.batchItems ?? deps.ledger.maxBatchItems,
    deps.ledger.maxBatchItems,
  );
  const batcher = createDepositBatcher<PendingDeposit>(
    batchItems,
    (pending) => pending.credit.user_id,
  );
  const pipeline = createBatchPipeline<readonly PendingDeposit[]>(
    settings.concurrency ?? 4,
    async (batch) => {
      const credited = await creditBatch(
        {
          partner_id: file.partner_id,
          source_upload: file.upload,
          credited_at: creditedAt,
          deposits: batch.map((pending) => pending.credit),
        },
        deps,
      );
      tally.credited(credited);
      for (const conflict of credited.conflicts) {
        const raw =
          batch.find((pending) => pending.credit.deposit_id === conflict.offered.deposit_id)?.raw ??
          '';
        await errors.add(conflictEntry(conflict, raw));
      }
    },
  );

  const text = readUtf8Text(opened.body);
  const csv = readCsvRecords(
    text.chunks,
    settings.maxRecordChars === undefined ? {} : { maxRecordChars: settings.maxRecordChars },
  );
  let judge: DepositRowJudge | null = null;
  let extraColumns: readonly string[] = [];
  let headerRead = false;
  let problem: FileProblem | null = null;

  try {
    rows: for await (const records of csv.records) {
      for (const record of records) {
        if (record.kind === 'fields' && isBlankRecord(record.fields)) continue;
        if (judge === null) {
          headerRead = true;
          const reading = readDepositFileHeader(record);
          if (!reading.ok) {
            problem = reading.problem;
            await errors.add(reading.entry);
            break rows;
          }
          extraColumns = reading.header.extraColumns;
          judge = createDepositRowJudge(
            reading.header,
            reading.width,
            { ...settings.rules, now: startedAt },
            file.key,
          );
          continue;
        }
        tally.row();
        const verdict = judge.judge(record);
        if (verdict.kind === 'accepted') {
          const closed = batcher.add({ credit: verdict.credit, raw: record.raw });
          if (closed !== null) await pipeline.submit(closed);
          continue;
        }
        if (verdict.kind === 'duplicate') tally.duplicateInFile();
        else tally.reject(verdict.entry.reason);
        await errors.add(verdict.entry);
      }
    }
    const last = batcher.flush();
    if (last !== null) await pipeline.submit(last);
    await pipeline.finish();
  } catch (error) {
    await pipeline.settle();
    await errors.abort();
    throw error;
  }

  const rest = unreadRest(text.failure(), csv.abandonedAt());
  if (rest !== null) {
    problem = rest.problem;
    if (rest.entry !== undefined) await errors.add(rest.entry);
  }

  return finish(problem, { headerRead, extraColumns });
};

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/** Deposit rows are about 60 bytes: what the cap holds, said in rows. */
const APPROX_ROW_BYTES = 60;

export const tooLargeProblem = (size: number | undefined, maxBytes: number): FileProblem | null =>
  size === undefined || size <= maxBytes
    ? null
    : {
        status: 'TOO_LARGE',
        message:
          `the file is ${mib(size)} (${size} bytes); files of at most ${mib(maxBytes)} are processed, so that each ` +
          `finishes well inside the processing time limit. Nothing in it was credited: split it into files of at most ` +
          `${mib(maxBytes)} (about ${Math.floor(maxBytes / APPROX_ROW_BYTES).toLocaleString('en-US')} rows each), ` +
          `each with the header line, and upload those`,
      };
