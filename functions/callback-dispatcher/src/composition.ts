import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Stage } from '@creditline/adapters/config/env';
import { createTransactionLogPublication } from '@creditline/adapters/dynamodb/transaction-log-publication';
import { createWebhookStore } from '@creditline/adapters/dynamodb/webhook-store';
import type { SecretSource } from '@creditline/adapters/secrets/secret-source';
import { createWebhookSender, type WebhookSender } from '@creditline/adapters/webhooks/http-sender';
import { createPartnerSigner } from '@creditline/adapters/webhooks/partner-signer';
import { systemResolver, type Resolver } from '@creditline/adapters/webhooks/pinned-address';
import { createCallbackGuard } from '@creditline/adapters/webhooks/ssrf-guard';
import type { Clock, DelayedMessages } from '@creditline/domain';
import {
  createCircuitBreakers,
  defaultBreakerSettings,
  type BreakerSettings,
} from './circuit-breaker.js';
import type { DeliverDependencies } from './deliver-callback.js';
import type { DispatchDependencies } from './dispatch-callback.js';
import type { CallbackPartner } from './ports.js';
import { svixSchedule, type RetryPolicy } from './retry-schedule.js';

/** The clients the adapters are built over: AWS in Lambda, the stand-ins locally and in tests. */
export interface DispatcherClients {
  readonly doc: Parameters<typeof createTransactionLogPublication>[0];
  readonly transactionLogTable: string;
  readonly webhooksTable: string;
  readonly secrets: SecretSource;
  /** The callbacks queue (SQS SendMessage with DelaySeconds, or the local queue): later attempts. */
  readonly retries: DelayedMessages;
  /** Defaults to the system resolver; tests inject one. */
  readonly resolve?: Resolver;
  /** Defaults to the 3-second sender; tests shorten the timeout. */
  readonly sender?: WebhookSender;
}

export interface DispatcherSettings {
  readonly stage: Stage;
  readonly partners: readonly CallbackPartner[];
  readonly retryPolicy?: RetryPolicy;
  readonly breaker?: BreakerSettings;
}

export interface DispatcherDependencies
  extends DeliverDependencies, Omit<DispatchDependencies, 'deliver' | 'deliveries'> {
  readonly logger: Logger;
  readonly metrics: Metrics;
}

const systemClock: Clock = { now: () => new Date() };

export const composeDependencies = (
  clients: DispatcherClients,
  settings: DispatcherSettings,
  observability: { readonly logger: Logger; readonly metrics: Metrics },
  runtime: { readonly clock?: Clock; readonly random?: () => number } = {},
): DispatcherDependencies => {
  const partners = new Map(settings.partners.map((partner) => [partner.id, partner]));
  const clock = runtime.clock ?? systemClock;
  return {
    partners: { find: (id) => partners.get(id) },
    guard: createCallbackGuard({
      stage: settings.stage,
      resolve: clients.resolve ?? systemResolver,
    }),
    signer: createPartnerSigner(clients.secrets),
    sender: clients.sender ?? createWebhookSender(),
    deliveries: createTransactionLogPublication(clients.doc, clients.transactionLogTable),
    webhooks: createWebhookStore(clients.doc, clients.webhooksTable),
    retries: clients.retries,
    // One set per container: built once per cold start, shared by every batch it handles.
    breakers: createCircuitBreakers(clock, settings.breaker ?? defaultBreakerSettings),
    policy: settings.retryPolicy ?? svixSchedule,
    clock,
    random: runtime.random ?? Math.random,
    ...observability,
  };
};
