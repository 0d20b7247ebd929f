import { envNames } from '@creditline/adapters/config/env';
import { roleSecretsVariable } from './database-roles.js';

/**
 * The functions creditline deploys, as data: where each handler lives, how it is sized and
 * which environment pieces it reads. Access (IAM) is in `policies.ts`, triggers in the
 * components. A function whose handler does not exist yet is not wired (no stubs).
 */
export const appFunctionNames = [
  'transaction-validator',
  'deposit-processor',
  'transaction-logger',
  'callback-dispatcher',
  'reconciliation',
  'hold-journal',
] as const;
export type AppFunctionName = (typeof appFunctionNames)[number];
export type FunctionName = AppFunctionName | 'migrator';
export const allFunctionNames: readonly FunctionName[] = [...appFunctionNames, 'migrator'];

/** Groups of environment variables, named after `configPieces` in @creditline/adapters. */
export type EnvPiece =
  | 'stage'
  | 'tables'
  | 'webhooks'
  | 'database'
  | 'eventBus'
  | 'depositsBucket'
  | 'reportsBucket'
  | 'audit'
  | 'partners'
  | 'transactionLogQueue'
  | 'callbacksQueue'
  | 'callbacksDlq'
  /** The migrator only: every function role's secret. */
  | 'databaseRoles';

export const envPieceVariables: Readonly<Record<EnvPiece, readonly string[]>> = {
  stage: [envNames.stage],
  tables: [envNames.creditCacheTable, envNames.depositEventsTable, envNames.transactionLogTable],
  webhooks: [envNames.webhooksTable],
  database: [envNames.dbClusterArn, envNames.dbSecretArn, envNames.dbName],
  eventBus: [envNames.eventBusName],
  depositsBucket: [envNames.depositsBucket],
  reportsBucket: [envNames.reportsBucket],
  audit: [envNames.auditStream],
  partners: [envNames.partners],
  transactionLogQueue: [envNames.transactionLogQueueUrl],
  callbacksQueue: [envNames.callbacksQueueUrl],
  callbacksDlq: [envNames.callbacksDlqUrl],
  databaseRoles: [roleSecretsVariable],
};

export interface FunctionSpec {
  readonly name: FunctionName;
  /** Handler source, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly memoryMb: number;
  /**
   * For a queue consumer, at most (visibility timeout − batching window) / 6 of its queue, as AWS
   * asks (`consumers.ts` checks every mapping). No function reserves concurrency: on an account
   * with the default quota (10) Lambda refuses any reservation, since 10 must stay unreserved.
   * Consumers cap their concurrency on the mapping instead, and the single-flight jobs are
   * safe when run twice (the migrator takes an advisory lock; reconciliation repairs are
   * conditional).
   */
  readonly timeoutSeconds: number;
  readonly env: readonly EnvPiece[];
  /** Invoked asynchronously (S3, EventBridge, Scheduler): failed events go to the async-failures queue. */
  readonly asyncInvoked: boolean;
}

export const functionSpecs: Readonly<Record<FunctionName, FunctionSpec>> = {
  'transaction-validator': {
    name: 'transaction-validator',
    entry: 'functions/transaction-validator/src/handler.ts',
    description: 'Decides transactions (HTTP API and TransactionRequested events)',
    memoryMb: 1024,
    timeoutSeconds: 10,
    env: ['stage', 'tables', 'webhooks', 'database', 'partners', 'eventBus'],
    asyncInvoked: true,
  },
  'deposit-processor': {
    name: 'deposit-processor',
    entry: 'functions/deposit-processor/src/handler.ts',
    description: 'Credits deposits from CSV files uploaded to inbox/',
    memoryMb: 1024,
    // A file of the size cap (depositFileLimits) finishes in half of this at the slowest
    // throughput measured; a larger file is refused before anything is credited.
    timeoutSeconds: 900,
    env: ['stage', 'tables', 'database', 'eventBus', 'depositsBucket'],
    asyncInvoked: true,
  },
  'transaction-logger': {
    name: 'transaction-logger',
    entry: 'functions/transaction-logger/src/handler.ts',
    description: 'Settles decisions into Aurora and the audit stream',
    memoryMb: 512,
    // 6 × 9 s + the 1 s batching window fits the transaction-log queue's 60 s visibility timeout.
    timeoutSeconds: 9,
    env: ['stage', 'tables', 'database', 'audit'],
    asyncInvoked: false,
  },
  'callback-dispatcher': {
    name: 'callback-dispatcher',
    entry: 'functions/callback-dispatcher/src/handler.ts',
    description: 'Delivers signed decisions and balance crossings to partner callback URLs',
    memoryMb: 512,
    // 6 × 5 s fits the callbacks queue's 30 s visibility timeout; a batch's sends run in
    // parallel and each times out after 3 s, or sooner when the invocation has less time left.
    timeoutSeconds: 5,
    env: ['stage', 'tables', 'webhooks', 'partners', 'callbacksQueue'],
    asyncInvoked: false,
  },
  reconciliation: {
    name: 'reconciliation',
    entry: 'functions/reconciliation/src/handler.ts',
    description: 'Nightly proof that the books balance',
    memoryMb: 2048,
    timeoutSeconds: 900,
    env: ['stage', 'tables', 'database', 'eventBus', 'reportsBucket', 'callbacksDlq'],
    asyncInvoked: true,
  },
  'hold-journal': {
    name: 'hold-journal',
    entry: 'functions/transaction-validator/src/journal/handler.ts',
    description:
      'The journal of holds: finalizes or gives back every hold its request left undecided; publishes balance monitor crossings',
    memoryMb: 512,
    timeoutSeconds: 60,
    env: ['stage', 'tables', 'eventBus', 'partners'],
    asyncInvoked: false,
  },
  migrator: {
    name: 'migrator',
    entry: 'infra/migrator/handler.ts',
    description: 'Applies the SQL migrations over the Data API (invoked on deploy)',
    memoryMb: 256,
    timeoutSeconds: 300,
    env: ['database', 'databaseRoles'],
    asyncInvoked: false,
  },
};

/** Environment variable names a function receives (besides Powertools' and NODE_OPTIONS). */
export const envVariablesOf = (name: FunctionName): readonly string[] =>
  functionSpecs[name].env.flatMap((piece) => envPieceVariables[piece]);
