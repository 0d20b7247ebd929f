import type { Difference, ObjectWriter } from '@creditline/domain';
import { csvLine } from './csv.js';
import type { ReportWriter, RunRef } from './ports.js';
import type { RepairOutcome } from './repairs/repair-outcome.js';

export const differencesHeader = [
  'kind',
  'user_id',
  'deposit_id',
  'transaction_id',
  'expected_cents',
  'actual_cents',
  'delta_cents',
  'message',
] as const;
export const repairsHeader = ['action', 'user_id', 'target', 'result', 'detail'] as const;

/** Rows written per piece of the upload: big enough to keep the parts few, small enough to stream. */
const ROWS_PER_PIECE = 2_000;

/** `reports/reconciliation/<YYYY-MM-DD of the run's start, UTC>/<run_id>` */
export const reportPrefix = (run: RunRef): string =>
  `reports/reconciliation/${run.started_at.slice(0, 10)}/${run.run_id}`;

const differenceRow = (difference: Difference): string =>
  csvLine([
    difference.kind,
    difference.user_id,
    difference.deposit_id,
    difference.transaction_id,
    difference.expected,
    difference.actual,
    difference.delta,
    difference.message,
  ]);

const repairRow = (outcome: RepairOutcome): string =>
  csvLine([outcome.action, outcome.user_id, outcome.target, outcome.result, outcome.detail]);

/**
 * The run's files in the reports bucket, through the object-store port. A CSV is streamed in
 * pieces, so a report with a million differences is never one string; it becomes visible only
 * when complete, and a failed one is discarded rather than left half-written.
 */
export const createReportWriter = (objects: ObjectWriter, bucket: string): ReportWriter => {
  const writeCsv = async <T>(
    key: string,
    header: readonly string[],
    rows: readonly T[],
    toRow: (row: T) => string,
  ): Promise<string> => {
    const upload = objects.open({ bucket, key }, 'text/csv; charset=utf-8');
    try {
      let piece = csvLine(header);
      for (let index = 0; index < rows.length; index += 1) {
        piece += toRow(rows[index] as T);
        if ((index + 1) % ROWS_PER_PIECE === 0) {
          await upload.write(piece);
          piece = '';
        }
      }
      if (piece !== '') await upload.write(piece);
      await upload.complete();
      return key;
    } catch (error) {
      await upload.abort().catch(() => undefined);
      throw error;
    }
  };

  return {
    writeDifferences: (run, differences) =>
      writeCsv(
        `${reportPrefix(run)}.differences.csv`,
        differencesHeader,
        differences,
        differenceRow,
      ),
    writeRepairs: (run, repairs) =>
      writeCsv(`${reportPrefix(run)}.repairs.csv`, repairsHeader, repairs, repairRow),
    async writeSummary(summary) {
      const key = `${reportPrefix(summary)}.summary.json`;
      await objects.put(
        { bucket, key },
        `${JSON.stringify(summary, null, 2)}\n`,
        'application/json',
      );
      return key;
    },
  };
};
