import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { Partner } from '@creditline/adapters/config/env';
import { callbacksQueue, tableNames, transactionLogQueue } from '@creditline/adapters/definitions';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import * as dispatcher from '@creditline/callback-dispatcher/composition';
import { createHandler as createDispatcherHandler } from '@creditline/callback-dispatcher/create-handler';
import * as deposits from '@creditline/deposit-processor/composition';
import { createHandler as createDepositHandler } from '@creditline/deposit-processor/create-handler';
import * as reconciliation from '@creditline/reconciliation/composition';
import { createHandler as createReconciliationHandler } from '@creditline/reconciliation/create-handler';
import { localCredentials, localRegion } from '@creditline/stand-ins';
import * as logger from '@creditline/transaction-logger/composition';
import { createHandler as createLoggerHandler } from '@creditline/transaction-logger/create-handler';
import * as validator from '@creditline/transaction-validator/composition';
import { createHandler as createValidatorHandler } from '@creditline/transaction-validator/create-handler';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  S3Event,
} from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { join, resolve } from 'node:path';
import { createInProcessBus, queueTarget } from '../bus/in-process-bus.js';
import { createLocalFirehose } from '../firehose/local-firehose.js';
import { createStreamPoller } from '../outbox/stream-poller.js';
import { createHoldJournalMapping } from '../outbox/hold-journal-mapping.js';
import { createEventSourceMapping } from '../queues/event-source-mapping.js';
import { createLocalQueueAdmin } from '../queues/local-queue-admin.js';
import { createLocalQueue } from '../queues/local-queue.js';
import { localPartners, toPartnerConfig } from '../identity/local-partners.js';
import { startLocalAwsEndpoint } from './local-aws-endpoint.js';
import { startHttpApi } from './http-api.js';
import { asS3Notification } from './s3-notification.js';
import { createLocalClients } from './local-clients.js';
import { createLocalSecretStore } from '../secrets/local-secret-store.js';
import { localNames, type RuntimeSettings } from './settings.js';
import { startLocalStores } from './stores.js';

export interface Runtime {
  readonly apiUrl: string;
  readonly awsEndpoint: string;
  readonly s3Endpoint: string;
  readonly dynamodbEndpoint: string;
  readonly databaseUrl: string;
  /** Runs one reconciliation now (the schedule calls the same). */
  reconcile(repair: boolean): Promise<unknown>;
  stop(): Promise<void>;
}

/** The local stage's partners, as the functions' configuration describes partners. */
export const localPartnerConfigs: readonly Partner[] = localPartners.map(toPartnerConfig);

const lambdaContext = (functionName: string) => ({
  awsRequestId: randomUUID(),
  functionName,
  getRemainingTimeInMillis: () => 900_000,
});

/**
 * The whole system on one machine: the real handlers, composed over the stand-ins with the same
 * adapters they use in AWS, and fed the same event shapes. EventBridge, the Pipe, SQS and
 * Firehose are played in process with the settings and patterns `infra/` deploys.
 */
export const startRuntime = async (
  settings: RuntimeSettings,
  log: (line: string) => void,
): Promise<Runtime> => {
  const dataDir = resolve(settings.dataDir);
  // Powertools writes JSON logs and EMF metrics to stdout: keep the console for the banner.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';

  const stores = await startLocalStores(settings, log);
  const clients = createLocalClients(
    {
      dynamodbEndpoint: stores.dynamo.endpoint,
      s3Endpoint: stores.s3.endpoint,
      databaseUrl: stores.databaseUrl,
    },
    { sqlPoolSize: 20 },
  );
  const { dynamo, doc, s3, sql } = clients;
  const streams = new DynamoDBStreamsClient({
    region: localRegion,
    credentials: localCredentials,
    endpoint: stores.dynamo.endpoint,
  });
  const tables = tableNames(localNames.prefix);

  const queueDir = join(dataDir, 'queues');
  const logQueue = createLocalQueue({ definition: transactionLogQueue, dir: queueDir });
  const callbackQueue = createLocalQueue({ definition: callbacksQueue, dir: queueDir });
  const queueAdmin = createLocalQueueAdmin([logQueue, callbackQueue]);
  // Firehose writes under its 'audit/' prefix: .data/audit/year=.../month=.../day=.../
  const audit = createLocalFirehose({ dir: dataDir, streamName: localNames.auditStream });

  const validatorHandler = createValidatorHandler(
    validator.composeDependencies({
      stores: validator.createStores({
        doc,
        // Account operations are not retried by the SDK (see CreditCacheStoreOptions), as in AWS.
        operationsDoc: createDocumentClient({
          region: localRegion,
          credentials: localCredentials,
          endpoint: stores.dynamo.endpoint,
          maxAttempts: 1,
        }),
        sql,
        tables,
        partners: localPartnerConfigs,
      }),
      partners: localPartnerConfigs,
      stage: 'local',
      // The bus is built next (it targets this handler); events are only published after start.
      publisher: { publish: (events) => bus.publish(events) },
      ...createObservability('transaction-validator'),
    }),
  );

  const bus = createInProcessBus({
    targets: {
      'transaction-validator': async (event) => {
        await validatorHandler(event, undefined);
      },
      'transaction-log-queue': queueTarget(logQueue),
      'callbacks-queue': queueTarget(callbackQueue),
    },
  });

  // EventBridge PutEvents of the DepositProcessor go through its real adapter to the local endpoint.
  // Partners' webhook secrets: rotated by `creditline webhook rotate` through the AWS endpoint.
  const secrets = createLocalSecretStore(
    join(dataDir, 'secrets.json'),
    Object.fromEntries(localPartners.map((partner) => [partner.id, partner.webhookSecret])),
  );
  const awsEndpoint = await startLocalAwsEndpoint({
    port: settings.awsPort,
    queues: [logQueue, callbackQueue],
    bus,
    secrets,
  });
  const eventBridge = new EventBridgeClient({
    region: localRegion,
    credentials: localCredentials,
    endpoint: awsEndpoint.url,
  });
  const depositHandler = createDepositHandler(
    deposits.composeDependencies(
      { s3, doc, tables, sql, eventBridge, eventBusName: localNames.eventBus },
      createObservability('deposit-processor'),
    ),
  );
  const loggerHandler = createLoggerHandler(
    logger.composeDependencies(
      { sql, doc, transactionLogTable: tables.transactionLog, auditWriter: audit },
      createObservability('transaction-logger'),
    ),
  );
  const dispatcherHandler = createDispatcherHandler(
    dispatcher.composeDependencies(
      {
        doc,
        transactionLogTable: tables.transactionLog,
        webhooksTable: tables.webhooks,
        secrets: createSecretSource({
          localSecrets: secrets.values,
          clock: { now: () => new Date() },
        }),
        retries: callbackQueue.delayed,
      },
      { stage: 'local', partners: localPartnerConfigs },
      createObservability('callback-dispatcher'),
    ),
  );
  const reconciliationHandler = createReconciliationHandler(
    reconciliation.composeDependencies({
      clients: {
        dynamo,
        doc,
        sql,
        tables,
        objects: createS3ObjectWriter(s3),
        reportsBucket: localNames.reportsBucket,
        publisher: bus,
        queueAdmin,
      },
      ...createObservability('reconciliation'),
    }),
  );

  const reportError = (what: string) => (error: unknown) => {
    log(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  };

  // The hold journal's event source mapping on the CreditCache stream.
  const journalPoller = createHoldJournalMapping({
    dynamo,
    streams,
    doc,
    tables,
    publisher: bus,
    partners: localPartnerConfigs,
    checkpointFile: join(dataDir, 'hold-journal-checkpoint.json'),
    pollIntervalMs: 100,
    onError: reportError('hold-journal'),
  });

  // The Pipe: TransactionLog stream CLAIMED → DECIDED changes → TransactionDecided on the bus.
  const poller = createStreamPoller({
    dynamo,
    streams,
    tableName: tables.transactionLog,
    publisher: bus,
    checkpointFile: join(dataDir, 'pipe-checkpoint.json'),
    onError: reportError('pipe'),
  });
  const mappings = [
    createEventSourceMapping({
      queue: logQueue,
      handler: loggerHandler,
      functionName: 'transaction-logger',
      onError: reportError('transaction-logger'),
    }),
    createEventSourceMapping({
      queue: callbackQueue,
      handler: dispatcherHandler,
      functionName: 'callback-dispatcher',
      onError: reportError('callback-dispatcher'),
    }),
  ];

  // S3 → DepositProcessor: s3rver emits the S3 notification shape for each object created.
  const inFlightFiles = new Set<Promise<unknown>>();
  // s3rver is an EventEmitter at run time; its typings omit it.
  (stores.s3.server as unknown as EventEmitter).on('event', (event: S3Event) => {
    const records = event.Records.filter(
      (record) =>
        record.eventName.startsWith('ObjectCreated:') &&
        record.s3.bucket.name === localNames.depositsBucket &&
        record.s3.object.key.startsWith('inbox/'),
    );
    if (records.length === 0) return;
    const run = depositHandler(asS3Notification({ Records: records }), undefined)
      .then((outcomes) => {
        for (const outcome of outcomes) log(`deposit file ${JSON.stringify(outcome)}`);
      })
      .catch(reportError('deposit-processor'));
    inFlightFiles.add(run);
    void run.finally(() => inFlightFiles.delete(run));
  });

  const api = await startHttpApi({
    port: settings.apiPort,
    handler: async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> =>
      (await validatorHandler(event, undefined)) ?? { statusCode: 500 },
  });
  poller.start();
  journalPoller.start();
  for (const mapping of mappings) mapping.start();

  const reconcile = (repair: boolean) =>
    reconciliationHandler({ repair }, lambdaContext('reconciliation'));
  const schedule =
    settings.reconcileEveryMinutes > 0
      ? setInterval(() => {
          reconcile(false).then(
            (result) => log(`scheduled reconciliation ${JSON.stringify(result)}`),
            reportError('reconciliation'),
          );
        }, settings.reconcileEveryMinutes * 60_000)
      : undefined;

  return {
    apiUrl: api.url,
    awsEndpoint: awsEndpoint.url,
    s3Endpoint: stores.s3.endpoint,
    dynamodbEndpoint: stores.dynamo.endpoint,
    databaseUrl: stores.databaseUrl,
    reconcile,
    stop: async () => {
      if (schedule) clearInterval(schedule);
      await api.stop();
      await awsEndpoint.stop();
      await Promise.allSettled([...inFlightFiles]);
      await poller.stop();
      await journalPoller.stop();
      await Promise.all(mappings.map((mapping) => mapping.stop()));
      await clients.close();
      await stores.stop();
    },
  };
};
