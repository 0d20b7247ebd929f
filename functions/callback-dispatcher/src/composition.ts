import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { Stage } from '@creditline/adapters/config/env';
import { callbacksQueue, type QueueDefinition } from '@creditline/adapters/definitions';
import { createTransactionLogPublication } from '@creditline/adapters/dynamodb/transaction-log-publication';
import type { SecretSource } from '@creditline/adapters/secrets/secret-source';
import { backoffFor, type BackoffPolicy } from '@creditline/adapters/sqs/backoff';
import { createWebhookSender, type WebhookSender } from '@creditline/adapters/webhooks/http-sender';
import { createPartnerSigner } from '@creditline/adapters/webhooks/partner-signer';
import { systemResolver, type Resolver } from '@creditline/adapters/webhooks/pinned-address';
import { createCallbackGuard } from '@creditline/adapters/webhooks/ssrf-guard';
import type { Clock, MessageVisibility } from '@creditline/domain';
import type { DeliverDependencies } from './deliver-callback.js';
import type { CallbackPartner } from './ports.js';

/** The clients the adapters are built over: AWS in Lambda, the stand-ins locally and in tests. */
export interface DispatcherClients {
  readonly doc: Parameters<typeof createTransactionLogPublication>[0];
  readonly transactionLogTable: string;
  readonly secrets: SecretSource;
  /** The callbacks queue (SQS ChangeMessageVisibility, or the local queue). */
  readonly visibility: MessageVisibility;
  /** Defaults to the system resolver; tests inject one. */
  readonly resolve?: Resolver;
  /** Defaults to the 3-second sender; tests shorten the timeout. */
  readonly sender?: WebhookSender;
}

export interface DispatcherSettings {
  readonly stage: Stage;
  readonly partners: readonly CallbackPartner[];
  /** The queue the function consumes: its receive limit and visibility timeout drive retries. */
  readonly queue?: Pick<QueueDefinition, 'maxReceiveCount' | 'visibilityTimeoutSeconds'>;
}

export interface DispatcherDependencies extends DeliverDependencies {
  readonly visibility: MessageVisibility;
  readonly maxReceiveCount: number;
  readonly backoff: BackoffPolicy;
  readonly random: () => number;
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
  const queue = settings.queue ?? callbacksQueue;
  return {
    partners: { find: (id) => partners.get(id) },
    guard: createCallbackGuard({
      stage: settings.stage,
      resolve: clients.resolve ?? systemResolver,
    }),
    signer: createPartnerSigner(clients.secrets),
    sender: clients.sender ?? createWebhookSender(),
    deliveries: createTransactionLogPublication(clients.doc, clients.transactionLogTable),
    clock: runtime.clock ?? systemClock,
    visibility: clients.visibility,
    maxReceiveCount: queue.maxReceiveCount,
    backoff: backoffFor(queue),
    random: runtime.random ?? Math.random,
    ...observability,
  };
};
