import { differenceKinds, formatMoney, type Difference } from '@creditline/domain';
import type { ReconcileProgress } from '@creditline/reconciliation/progress';
import type { Reconcile, ReconcileOutcome } from '@creditline/reconciliation/reconcile';
import { runIdFor } from '@creditline/reconciliation/run-id';
import { randomBytes } from 'node:crypto';

/**
 * `creditline reconcile [--repair]`: one reconcile run with a progress bar on a terminal (plain
 * phase lines otherwise, so a log stays readable) and a summary an operator can act on. The
 * CLI wiring builds `reconcile` over the local stores (`createReconcileDependencies` from
 * @creditline/reconciliation/composition) and maps `exitCode` to the process.
 */
export interface ReconcileCommandOptions {
  readonly repair: boolean;
  /** Parallel Scan segments; default 4 (DynamoDB Local is one JVM on a laptop). */
  readonly segments?: number;
  /** Default 15 minutes. */
  readonly unsettledThresholdMs?: number;
}

export interface CommandOutput {
  write(text: string): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export interface ReconcileCommandIo {
  readonly out: CommandOutput;
  readonly now?: () => Date;
  /** Suffix of the run id; random by default. */
  readonly runIdSuffix?: () => string;
  /** Milliseconds between two redraws of the bar; phase changes always redraw. */
  readonly redrawEveryMs?: number;
}

export interface ReconcileCommandResult {
  readonly outcome: ReconcileOutcome;
  /** 0: no drift found; 2: drift found (repaired or not: a second run proves a repair). */
  readonly exitCode: 0 | 2;
}

export const DRIFT_EXIT_CODE = 2;
const DEFAULT_SEGMENTS = 4;
const DEFAULT_UNSETTLED_THRESHOLD_MS = 15 * 60_000;
const MAX_LISTED_DIFFERENCES = 10;

const count = (value: number): string => value.toLocaleString('en-US');

const phaseLabel: Record<ReconcileProgress['phase'], string> = {
  gathering: 'gathering',
  comparing: 'comparing',
  reporting: 'reporting',
  repairing: 'repairing',
  done: 'done',
};

/** One line for the bar: `gathering [#####-----]  52%  520,000 / 1,000,000 records`, at most `width` long. */
export const renderProgress = (progress: ReconcileProgress, width: number): string => {
  const label = phaseLabel[progress.phase].padEnd(10);
  if (progress.phase !== 'gathering' && progress.phase !== 'repairing')
    return `${label}…`.slice(0, width);
  const unit = progress.phase === 'gathering' ? ' records' : ' repairs';
  // An estimate of 0 (not known yet) shows the count alone.
  const ratio = progress.total > 0 ? Math.min(1, progress.done / progress.total) : 0;
  const figures =
    progress.total > 0
      ? `${count(progress.done)} / ${count(progress.total)}${unit}`
      : `${count(progress.done)}${unit}`;
  const percent = `${String(Math.floor(ratio * 100)).padStart(3)}%`;
  const barWidth = Math.max(
    10,
    Math.min(40, width - label.length - percent.length - figures.length - 6),
  );
  const filled = Math.round(ratio * barWidth);
  return `${label}[${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent}  ${figures}`.slice(
    0,
    width,
  );
};

const describeDifference = (difference: Difference): string => {
  const id = difference.deposit_id ?? difference.transaction_id;
  const figures =
    difference.expected === null && difference.actual === null
      ? ''
      : ` expected ${difference.expected === null ? '-' : formatMoney(difference.expected)}, actual ${difference.actual === null ? '-' : formatMoney(difference.actual)}`;
  return `  ${difference.kind.padEnd(28)} ${difference.user_id}${id === undefined ? '' : ` ${id}`}${figures}`;
};

/** The run in a few lines: the figures, the kinds found, the first differences, the repairs, where the report is. */
export const formatSummary = (outcome: ReconcileOutcome): string => {
  const { summary, report, repairs } = outcome;
  const lines = [
    `reconciliation ${summary.run_id} (${summary.repair_requested ? 'with repairs' : 'report only'})`,
    `  users checked         ${count(summary.users_checked)}`,
    `  deposits checked      ${count(summary.deposits_checked)}`,
    `  drifted users         ${count(summary.drifted_users)}`,
    `  drift amount          ${formatMoney(summary.drift_amount)}`,
    `  unsettled decisions   ${count(summary.unsettled_decisions)}`,
    `  dead-lettered calls   ${count(summary.dead_lettered_callbacks)}`,
    `  differences           ${count(summary.differences)}`,
  ];
  for (const kind of differenceKinds) {
    const found = summary.differences_by_kind[kind];
    if (found > 0) lines.push(`    ${kind.padEnd(28)} ${count(found)}`);
  }
  if (report.differences.length > 0) {
    lines.push('', `first differences (all ${count(report.differences.length)} in the CSV):`);
    for (const difference of report.differences.slice(0, MAX_LISTED_DIFFERENCES))
      lines.push(describeDifference(difference));
  }
  if (summary.repairs) {
    const { repaired, skipped, failed, left_for_operator } = summary.repairs;
    lines.push(
      '',
      `repairs: ${count(repaired)} repaired, ${count(skipped)} skipped, ${count(failed)} failed, ${count(left_for_operator)} left for an operator`,
    );
    for (const repair of repairs)
      lines.push(
        `  ${repair.result.padEnd(8)} ${repair.action.padEnd(21)} ${repair.target}: ${repair.detail}`,
      );
  }
  lines.push('', `report: ${outcome.summaryKey}`, `        ${summary.differences_key}`);
  if (summary.repairs) lines.push(`        ${summary.repairs.repairs_key}`);
  lines.push(
    summary.drifted_users === 0
      ? 'the books balance.'
      : summary.repair_requested
        ? 'drift found and repaired where safe: run again to prove the books balance.'
        : 'drift found: see the report, or run again with --repair.',
  );
  return `${lines.join('\n')}\n`;
};

/** Runs one reconciliation, drawing its progress, and prints the summary. */
export const runReconcileCommand = async (
  reconcile: Reconcile,
  options: ReconcileCommandOptions,
  io: ReconcileCommandIo,
): Promise<ReconcileCommandResult> => {
  const { out } = io;
  const tty = out.isTTY === true;
  const width = Math.max(40, (out.columns ?? 80) - 1);
  const redrawEveryMs = io.redrawEveryMs ?? 100;
  const now = io.now?.() ?? new Date();
  let last: ReconcileProgress | undefined;
  let lastDrawn = 0;
  const draw = (progress: ReconcileProgress): void => {
    out.write(`\r${renderProgress(progress, width)}\x1b[K`);
    lastDrawn = Date.now();
  };

  const onProgress = (progress: ReconcileProgress): void => {
    const phaseChanged = progress.phase !== last?.phase;
    if (tty) {
      if (phaseChanged && last !== undefined) {
        // The previous phase's line keeps its final figures.
        draw(last);
        out.write('\n');
      }
      if (progress.phase !== 'done' && (phaseChanged || Date.now() - lastDrawn >= redrawEveryMs))
        draw(progress);
    } else if (phaseChanged && progress.phase !== 'done') {
      out.write(`${phaseLabel[progress.phase]}…\n`);
    }
    last = progress;
  };

  const outcome = await reconcile(
    {
      runId: runIdFor(now, io.runIdSuffix?.() ?? randomBytes(4).toString('hex')),
      repair: options.repair,
      now,
      segments: options.segments ?? DEFAULT_SEGMENTS,
      unsettledThresholdMs: options.unsettledThresholdMs ?? DEFAULT_UNSETTLED_THRESHOLD_MS,
    },
    onProgress,
  );
  out.write(formatSummary(outcome));
  return { outcome, exitCode: outcome.summary.drifted_users === 0 ? 0 : DRIFT_EXIT_CODE };
};
