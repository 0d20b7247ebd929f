import { addCents, type Cents, type DepositFileStatus } from '@creditline/domain';
import type { CreditedBatch } from './credit-batch.js';
import type { DepositFileSummary } from './deposit-file-summary.js';
import type { ErrorsFileReason } from './errors-report.js';

/** Why a file was not read to its end, or not at all. */
export interface FileProblem {
  readonly status: Exclude<DepositFileStatus, 'PROCESSED'>;
  readonly message: string;
  readonly line?: number;
}

/** The counts of one file as it is read and written; becomes its summary. */
export interface DepositFileTally {
  row(): void;
  reject(reason: ErrorsFileReason): void;
  duplicateInFile(): void;
  credited(batch: CreditedBatch): void;
  summarize(facts: {
    readonly bucket: string;
    readonly key: string;
    readonly sourceUpload: string;
    readonly headerRead: boolean;
    readonly extraColumns: readonly string[];
    readonly problem: FileProblem | null;
    readonly errorsKey: string | null;
    readonly durationMs: number;
    readonly processedAt: string;
  }): DepositFileSummary;
}

export const createDepositFileTally = (): DepositFileTally => {
  let rows = 0;
  let accepted = 0;
  let resumed = 0;
  let creditedAmount: Cents = 0;
  let duplicatesInFile = 0;
  let alreadyCredited = 0;
  let healedInBooks = 0;
  const rejectedByReason = new Map<ErrorsFileReason, number>();

  const reject = (reason: ErrorsFileReason): void => {
    rejectedByReason.set(reason, (rejectedByReason.get(reason) ?? 0) + 1);
  };

  return {
    row: () => void (rows += 1),
    reject,
    duplicateInFile: () => void (duplicatesInFile += 1),
    credited(batch) {
      accepted += batch.accepted.length;
      resumed += batch.resumed;
      for (const deposit of batch.accepted)
        creditedAmount = addCents(creditedAmount, deposit.amount);
      alreadyCredited += batch.alreadyCredited.length;
      healedInBooks += batch.healedInBooks;
      batch.conflicts.forEach(() => {
        reject('CONFLICT_WITH_CREDITED');
      });
    },
    summarize(facts) {
      const rejected = [...rejectedByReason.values()].reduce((sum, n) => sum + n, 0);
      const problem =
        facts.problem ??
        (rows > 0
          ? null
          : {
              status: 'EMPTY' as const,
              message: facts.headerRead
                ? 'the file has a header but no deposit rows'
                : 'the file is empty',
            });
      return {
        bucket: facts.bucket,
        key: facts.key,
        status: problem?.status ?? 'PROCESSED',
        rows,
        accepted,
        duplicates: duplicatesInFile + alreadyCredited,
        rejected,
        credited_amount: creditedAmount,
        duration_ms: facts.durationMs,
        processed_at: facts.processedAt,
        ...(problem === null ? {} : { message: problem.message }),
        ...(problem?.line === undefined ? {} : { line: problem.line }),
        source_upload: facts.sourceUpload,
        errors_key: facts.errorsKey,
        extra_columns: [...facts.extraColumns],
        duplicates_in_file: duplicatesInFile,
        already_credited: alreadyCredited,
        resumed,
        healed_in_books: healedInBooks,
        rejected_by_reason: Object.fromEntries(rejectedByReason),
      };
    },
  };
};
