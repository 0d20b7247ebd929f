import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Partner } from '@creditline/adapters/config/env';
import type { TableNames } from '@creditline/adapters/definitions';
import { createCreditCacheStore } from '@creditline/adapters/dynamodb/credit-cache-store';
import { createTransactionLogStore } from '@creditline/adapters/dynamodb/transaction-log-store';
import { createAccountRepository } from '@creditline/adapters/sql/account-repository';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Clock, CreditAccountBooks, CreditAccountCache, DecisionLog, SqlExecutor } from '@creditline/domain';
import { performance } from 'node:perf_hooks';
import { createAuthorize, type Authorize } from './authorize.js';
import { createFindDecision, type FindDecision } from './find-decision.js';
import { observeAuthorize } from './observability/observed-authorize.js';
import { observeCreditAccounts } from './observability/observed-credit-accounts.js';
import { observeDecisionLog } from './observability/observed-decision-log.js';
import { createPartnerDirectory, type PartnerDirectory } from './partner-directory.js';
import { createReadBalance, type ReadBalance } from './read-balance.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

/** The stores behind the ports, as adapters (tests wrap them to force races). */
export interface ValidatorStores {
  readonly accounts: CreditAccountCache;
  readonly books: CreditAccountBooks;
  readonly decisions: DecisionLog;
}

export const createStores = (clients: {
  readonly doc: DynamoDBDocumentClient;
  /** A client that does not retry by itself, for the account operations (see CreditCacheStoreOptions). */
  readonly operationsDoc?: DynamoDBDocumentClient;
  readonly sql: SqlExecutor;
  readonly tables: Pick<TableNames, 'creditCache' | 'transactionLog'>;
}): ValidatorStores => ({
  accounts: createCreditCacheStore(clients.doc, clients.tables.creditCache, clients.operationsDoc ? { operations: clients.operationsDoc } : {}),
  books: createAccountRepository(clients.sql),
  decisions: createTransactionLogStore(clients.doc, clients.tables),
});

/** Everything the entry points use, built once per cold start. */
export interface ValidatorDependencies {
  readonly authorize: Authorize;
  readonly findDecision: FindDecision;
  readonly readBalance: ReadBalance;
  readonly partners: PartnerDirectory;
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export interface CompositionParts {
  readonly stores: ValidatorStores;
  readonly partners: readonly Partner[];
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly clock?: Clock;
  readonly retry?: RetryPolicy;
  readonly random?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const systemClock: Clock = { now: () => new Date() };
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wires the use-cases over the stores, with logging and metrics wrapped around the ports. */
export const composeDependencies = (parts: CompositionParts): ValidatorDependencies => {
  const { logger, metrics } = parts;
  const { accounts, books } = observeCreditAccounts(parts.stores.accounts, parts.stores.books, logger);
  const decisions = observeDecisionLog(parts.stores.decisions, { logger, metrics });
  const authorize = createAuthorize({
    accounts,
    books,
    decisions,
    clock: parts.clock ?? systemClock,
    monotonicMs: () => performance.now(),
    retry: parts.retry ?? defaultRetryPolicy,
    random: parts.random ?? Math.random,
    sleep: parts.sleep ?? sleep,
  });
  return {
    authorize: observeAuthorize(authorize, { logger, metrics }),
    findDecision: createFindDecision(decisions),
    readBalance: createReadBalance(accounts, books),
    partners: createPartnerDirectory(parts.partners),
    logger,
    metrics,
  };
};
