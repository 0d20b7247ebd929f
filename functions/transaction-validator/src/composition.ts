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
import { createControlsCacheStore } from '@creditline/adapters/dynamodb/controls-cache-store';
import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import { createAccountRepository } from '@creditline/adapters/sql/account-repository';
import { createControlsRepository } from '@creditline/adapters/sql/controls-repository';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  type Clock,
  type ControlsBooks,
  type ControlsCache,
  type CreditAccountBooks,
  type CreditAccountCache,
  type DecisionLog,
  type EventPublisher,
  type SqlClient,
} from '@creditline/domain';
import { createControlsApi, type ControlsApi } from './controls/controls-api.js';
import { performance } from 'node:perf_hooks';
import { createAuthorize, type Authorize } from './authorize.js';
import { createFindDecision, type FindDecision } from './find-decision.js';
import {
  createListDeliveries,
  type DeliveryReader,
  type ListDeliveries,
} from './list-deliveries.js';
import { observeAuthorize } from './observability/observed-authorize.js';
import { observeCreditAccounts } from './observability/observed-credit-accounts.js';
import { observeDecisionLog } from './observability/observed-decision-log.js';
import { createRateLimiter, type RateLimiter } from './rate-limit.js';
import { programControlsOf } from './program-controls.js';
import { createReadBalance, type ReadBalance } from './read-balance.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry-policy.js';

/** The stores behind the ports, as adapters (tests wrap them to force races). */
export interface ValidatorStores {
  readonly accounts: CreditAccountCache;
  readonly books: CreditAccountBooks;
  readonly decisions: DecisionLog;
  readonly controlsBooks: ControlsBooks;
  readonly controlsCache: ControlsCache;
  readonly deliveries: DeliveryReader;
}

export const createStores = (clients: {
  readonly doc: DynamoDBDocumentClient;
  /** A client that does not retry by itself, for the account operations (see CreditCacheStoreOptions). */
  readonly operationsDoc?: DynamoDBDocumentClient;
  readonly sql: SqlClient;
  readonly tables: Pick<TableNames, 'creditCache' | 'transactionLog' | 'webhooks'>;
  readonly partners?: readonly Partner[];
}): ValidatorStores => {
  const programDefaults = programControlsOf(clients.partners ?? []);
  return {
    accounts: createCreditCacheStore(
      clients.doc,
      clients.tables.creditCache,
      clients.operationsDoc ? { operations: clients.operationsDoc } : {},
    ),
    books: createAccountRepository(clients.sql),
    decisions: createTransactionLogStore(clients.doc, clients.tables),
    controlsBooks: createControlsRepository(clients.sql, {
      programDefaults,
    }),
    controlsCache: createControlsCacheStore(clients.doc, clients.tables.creditCache),
    deliveries: createWebhookStore(clients.doc, clients.tables.webhooks),
  };
};

/** Everything the entry points use, built once per cold start. */
export interface ValidatorDependencies {
  readonly authorize: Authorize;
  readonly findDecision: FindDecision;
  readonly listDeliveries: ListDeliveries;
  readonly readBalance: ReadBalance;
  readonly controls: ControlsApi;
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
  /** Where ControlsChanged (and balance monitor) events go. */
  readonly publisher: EventPublisher;
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

/**
 * An event older than this when decided is REJECTED EXPIRED: the bus and Lambda retry
 * asynchronous deliveries for hours, and a partner waiting for a callback will have given up.
 */
export const MAX_EVENT_AGE_MS = 15 * 60_000;

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
    monotonicMs: () => performance.now(),
    retry: parts.retry ?? defaultRetryPolicy,
    random: parts.random ?? Math.random,
    sleep: parts.sleep ?? sleep,
    programControls: programControlsOf(parts.partners),
    maxEventAgeMs: MAX_EVENT_AGE_MS,
  });
  return {
    authorize: observeAuthorize(authorize, { logger, metrics }),
    findDecision: createFindDecision(decisions),
    listDeliveries: createListDeliveries(decisions, parts.stores.deliveries),
    readBalance: createReadBalance(accounts, books),
    controls: createControlsApi({
      books: parts.stores.controlsBooks,
      cache: parts.stores.controlsCache,
      publisher: parts.publisher,
      clock,
    }),
    identity: createPartnerIdentity(parts.partners),
    rateLimits: {
      http: createRateLimiter(rateLimits, clock),
      events: createRateLimiter(rateLimits, clock),
    },
    logger,
    metrics,
  };
};
