import type {
  PutRecordOutcome,
  RecordBatchWriter,
} from '@creditline/adapters/firehose/record-batch-writer';
import type { Clock } from '@creditline/domain';
import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * The audit delivery stream played locally: each PutRecordBatch becomes one gzip object under
 * `dir`, in the partition layout Firehose writes to S3 (`<prefix>year=YYYY/month=MM/day=DD/`,
 * UTC) and named as Firehose names objects (`<stream>-1-YYYY-MM-DD-HH-MM-SS-<uuid>.json.gz`).
 * Records are concatenated as sent, exactly as Firehose does (each already ends with a newline).
 */
export interface LocalFirehoseOptions {
  readonly dir: string;
  readonly streamName: string;
  /** The audit prefix infra configures (`audit/`). */
  readonly prefix?: string;
  readonly clock?: Clock;
}

const pad = (value: number): string => String(value).padStart(2, '0');

export const localFirehoseKey = (
  streamName: string,
  prefix: string,
  at: Date,
  id: string,
): string => {
  const [year, month, day] = [at.getUTCFullYear(), pad(at.getUTCMonth() + 1), pad(at.getUTCDate())];
  const stamp = `${year}-${month}-${day}-${pad(at.getUTCHours())}-${pad(at.getUTCMinutes())}-${pad(at.getUTCSeconds())}`;
  return `${prefix}year=${year}/month=${month}/day=${day}/${streamName}-1-${stamp}-${id}.json.gz`;
};

export const createLocalFirehose = (options: LocalFirehoseOptions): RecordBatchWriter => {
  const { dir, streamName, prefix = 'audit/' } = options;
  const clock = options.clock ?? { now: () => new Date() };
  return {
    putRecords(records) {
      if (records.length === 0) return Promise.resolve([]);
      const path = join(dir, localFirehoseKey(streamName, prefix, clock.now(), randomUUID()));
      mkdirSync(dirname(path), { recursive: true });
      const temporary = `${path}.tmp`;
      writeFileSync(temporary, gzipSync(Buffer.from(records.join(''), 'utf8')));
      renameSync(temporary, path);
      return Promise.resolve(records.map((): PutRecordOutcome => ({ ok: true })));
    },
  };
};
