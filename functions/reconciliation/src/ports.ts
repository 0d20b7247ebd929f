import type {
  AuroraUserFigures,
  CacheItemFigures,
  Cents,
  Clock,
  DeadLetteredCallback,
  DepositRecord,
  DepositRepository,
  Difference,
  EventPublisher,
  UnsettledDecision,
} from '@creditline/domain';
import type { RepairOutcome } from './repairs/repair-outcome.js';
import type { RunSummary } from './run-summary.js';

/**
 * What `reconcile` needs from the world, owned here. The readers hand over pages through a
 * callback so a million deposits stream through the comparison instead of piling up.
 */

/** Aurora, read set-based. */
export interface AuroraBooks {
  countRecords(): Promise<{ readonly users: number; readonly deposits: number }>;
  eachUserFiguresPage(onPage: (rows: AuroraUserFigures[]) => void): Promise<void>;
  eachDepositPage(onPage: (rows: DepositRecord[]) => void): Promise<void>;
  /** One user, read again right before a repair. */
  userFigures(userId: string): Promise<AuroraUserFigures | null>;
  deposit(depositId: string): Promise<AuroraDeposit | null>;
  /** credit_balance := deposits - permitted under the row lock; null when it already agreed. */
  rebalance(
    userId: string,
  ): Promise<{ readonly before: Cents | null; readonly after: Cents } | null>;
}

/** Reconciliation names users and deposits by their scoped keys (`partner#id`); the rows carry the plain ids. */
export interface AuroraDeposit {
  readonly partner_id: string;
  readonly deposit_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  readonly deposited_at: string;
  readonly source_key: string | null;
  readonly source_line: number | null;
  readonly credited_at: string;
}

/** A CreditCache item as the Scan saw it: a rebuild proceeds only if it is still exactly this. */
export interface CacheItemSnapshot extends CacheItemFigures {
  readonly version: number;
}

/** DynamoDB, read in parallel. */
export interface LiveStores {
  eachCacheItemPage(segments: number, onPage: (items: CacheItemSnapshot[]) => void): Promise<void>;
  eachDepositEventPage(segments: number, onPage: (records: DepositRecord[]) => void): Promise<void>;
  eachUnsettledDecisionPage(onPage: (decisions: UnsettledDecision[]) => void): Promise<void>;
}

export interface CacheItemState {
  readonly user_id: string;
  readonly available: Cents;
  /** Null when the item has no version yet (only deposits touched it). */
  readonly version: number | null;
  /** When the item's last operation was decided (absent when no operation touched it yet). */
  readonly last_op_at?: string | undefined;
}

/** A TransactionLog item, as much of it as a re-publish needs. */
export interface LoggedDecision {
  readonly transaction_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  readonly currency?: string | undefined;
  readonly status: 'PERMITTED' | 'REJECTED';
  readonly reason: string | null;
  readonly remaining_credit: Cents;
  readonly decided_at: string;
  readonly callback_url?: string | undefined;
  readonly partner_id?: string | undefined;
  /** Present (a `PENDING#nn` shard of the `unsettled` index) until settled. */
  readonly settlement_state?: string | undefined;
  readonly delivery?:
    { readonly delivered_at: string | null; readonly dead_lettered: boolean } | undefined;
}

export interface DepositEvent {
  readonly partner_id: string;
  readonly deposit_id: string;
  readonly user_id: string;
  readonly amount: Cents;
  readonly deposited_at: string;
  readonly source_key: string;
  readonly source_line: number;
  readonly credited_at: string;
}

/** DynamoDB reads (strongly consistent) and conditional writes for the repairs. */
export interface RepairStore {
  cacheItem(userId: string): Promise<CacheItemState | null>;
  rebuildCacheItem(rebuild: {
    readonly user_id: string;
    readonly seen: CacheItemState;
    readonly available: Cents;
    readonly at: string;
  }): Promise<boolean>;
  pendingPermits(userId: string): Promise<UnsettledDecision[]>;
  decision(transactionId: string): Promise<LoggedDecision | null>;
  depositEvent(depositId: string): Promise<DepositEvent | null>;
  restoreDepositEvent(item: DepositEvent): Promise<boolean>;
}

export interface DeadLetters {
  /** Callbacks parked in the callbacks dead-letter queue. */
  callbacks(): Promise<DeadLetteredCallback[]>;
}

/** Names a run in the reports bucket: `reports/reconciliation/<date of started_at>/<run_id>...`. */
export interface RunRef {
  readonly run_id: string;
  readonly started_at: string;
}

export interface ReportWriter {
  /** The CSV of differences, one row per difference; resolves with its key. */
  writeDifferences(run: RunRef, differences: readonly Difference[]): Promise<string>;
  /** The JSON summary (written again, with the repairs, after a repair run); resolves with its key. */
  writeSummary(summary: RunSummary): Promise<string>;
  /** The CSV of repair outcomes; resolves with its key. */
  writeRepairs(run: RunRef, repairs: readonly RepairOutcome[]): Promise<string>;
}

export interface RunLog {
  recordRun(run: {
    readonly run_id: string;
    readonly started_at: string;
    readonly finished_at: string;
    readonly users_checked: number;
    readonly drifted_users: number;
    readonly drift_amount: Cents;
    readonly unsettled_decisions: number;
    readonly report_key: string;
    readonly summary: unknown;
  }): Promise<void>;
  recordRepairs(
    runId: string,
    repaired: number,
    finishedAt: string,
    summary: unknown,
  ): Promise<void>;
}

/** Logging and metrics, kept out of the orchestration. */
export interface RunObserver {
  /** The comparison is done and reported. */
  checked(summary: RunSummary): void;
  /** One repair's outcome, as it happens. */
  repaired(outcome: RepairOutcome): void;
  /** The run is over (with the repairs block when repairs ran). */
  finished(summary: RunSummary): void;
}

export interface ReconcileDependencies {
  readonly books: AuroraBooks;
  readonly runLog: RunLog;
  readonly liveStores: LiveStores;
  readonly repairStore: RepairStore;
  /** Replays a deposit into Aurora the way the deposit pipeline writes one (idempotent). */
  readonly depositRepository: DepositRepository;
  readonly deadLetters: DeadLetters;
  readonly reports: ReportWriter;
  readonly publisher: EventPublisher;
  readonly observer: RunObserver;
  readonly clock: Clock;
}
