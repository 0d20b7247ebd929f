import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Partner, Stage } from '@creditline/adapters/config/env';
import {
  createPartnerIdentity,
  type PartnerIdentity,
} from '@creditline/adapters/identity/partner-identity';
import { checkCallbackUrl } from '@creditline/adapters/webhooks/callback-url-policy';
import type { TableNames } from '@creditline/adapters/definitions';
import { createCreditCacheStore } from '@creditline/adapters/dynamodb/credit-cache-store';
import { createTransactionLogStore } from '@creditline/adapters/dynamodb/transaction-log-store';
import { createAccountRepository } from '@creditline/adapters/sql/account-repository';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type {
  Clock,
  CreditAccountBooks,
  CreditAccountCache,
  DecisionLog,
  SqlExecutor,
} from '@creditline/domain';
import { createAuthorize, type Authorize } from './authorize.js';
import { createFindDecision, type FindDecision } from './find-decision.js';
import { observeAuthorize } from './observability/observed-authorize.js';
import { observeCreditAccounts } from './observability/observed-credit-accounts.js';
import { observeDecisionLog } from './observability/observed-decision-log.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
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
  readonly sql: SqlExecutor;
  readonly tables: Pick<TableNames, 'creditCache' | 'transactionLog'>;
}): ValidatorStores => ({
  accounts: createCreditCacheStore(clients.doc, clients.tables.creditCache),
  books: createAccountRepository(clients.sql),
  decisions: createTransactionLogStore(clients.doc, clients.tables),
});

/** Everything the entry points use, built once per cold start. */
export interface ValidatorDependencies {
  readonly authorize: Authorize;
  readonly findDecision: FindDecision;
  readonly readBalance: ReadBalance;
  /** Who a verified caller is: the same mapping the local runtime uses. */
  readonly identity: PartnerIdentity;
  /** Per-partner request budgets, one per entry path. */
  readonly rateLimits: { readonly http: RateLimiter; readonly events: RateLimiter };
  readonly logger: Logger;
  readonly metrics: Metrics;
}

export interface CompositionParts {
  readonly stores: ValidatorStores;
  readonly partners: readonly Partner[];
  /** `local` allows http callbacks on any port (a developer's receiver); elsewhere https on 443 only. */
  readonly stage?: Stage;
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
  const { accounts, books } = observeCreditAccounts(
    parts.stores.accounts,
    parts.stores.books,
    logger,
  );
  const decisions = observeDecisionLog(parts.stores.decisions, { logger, metrics });
  const clock = parts.clock ?? systemClock;
  const stage = parts.stage ?? 'local';
  const callbackHosts = new Map(
    parts.partners.map((partner) => [partner.id, partner.callbackHosts] as const),
  );
  const rateLimits = new Map(
    parts.partners.map((partner) => [partner.id, partner.rateLimit] as const),
  );
  const authorize = createAuthorize({
    accounts,
    books,
    decisions,
    clock,
    checkCallbackUrl: (partnerId, url) =>
      checkCallbackUrl(url, callbackHosts.get(partnerId) ?? [], stage),
    retry: parts.retry ?? defaultRetryPolicy,
    random: parts.random ?? Math.random,
    sleep: parts.sleep ?? sleep,
  });
  return {
    authorize: observeAuthorize(authorize, { logger, metrics }),
    findDecision: createFindDecision(decisions),
    readBalance: createReadBalance(accounts, books),
    identity: createPartnerIdentity(parts.partners),
    rateLimits: {
      http: createRateLimiter(rateLimits, clock),
      events: createRateLimiter(rateLimits, clock),
    },
    logger,
    metrics,
  };
};
