import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import {
  callbacksQueue,
  matchRoute,
  routeKey,
  tableNames,
  transactionLogQueue,
  type TableNames,
} from '@creditline/adapters/definitions';
import { createObservability } from '@creditline/adapters/observability/powertools';
import { createS3ObjectWriter } from '@creditline/adapters/s3/s3-object-writer';
import { createSecretSource } from '@creditline/adapters/secrets/secret-source';
import { createPgSqlClient } from '@creditline/adapters/sql/pg-sql-client';
import { createWebhookSender } from '@creditline/adapters/webhooks/http-sender';
import * as dispatcher from '@creditline/callback-dispatcher/composition';
import { defaultBreakerSettings } from '@creditline/callback-dispatcher/circuit-breaker';
import { createHandler as createDispatcherHandler } from '@creditline/callback-dispatcher/create-handler';
import { svixSchedule } from '@creditline/callback-dispatcher/retry-schedule';
import * as deposits from '@creditline/deposit-processor/composition';
import { createHandler as createDepositHandler } from '@creditline/deposit-processor/create-handler';
import type { EventPublisher } from '@creditline/domain';
import { createInProcessBus } from '@creditline/local/bus/in-process-bus';
import { createLocalFirehose } from '@creditline/local/firehose/local-firehose';
import { createHoldJournalMapping } from '@creditline/local/outbox/hold-journal-mapping';
import { createStreamPoller } from '@creditline/local/outbox/stream-poller';
import {
  createEventSourceMapping,
  type SqsHandler,
} from '@creditline/local/queues/event-source-mapping';
import { createLocalQueueAdmin } from '@creditline/local/queues/local-queue-admin';
import { createLocalQueue, type LocalQueue } from '@creditline/local/queues/local-queue';
import { startLocalAwsEndpoint } from '@creditline/local/runtime/local-aws-endpoint';
import { createLocalSecretStore } from '@creditline/local/secrets/local-secret-store';
import { toApiGatewayEvent } from '@creditline/local/runtime/http-api';
import { toS3NotificationKey } from '@creditline/local/runtime/s3-notification';
import * as reconciliation from '@creditline/reconciliation/composition';
import {
  createHandler as createReconciliationHandler,
  type ReconciliationResult,
} from '@creditline/reconciliation/create-handler';
import { localCredentials, localRegion } from '@creditline/stand-ins';
import * as logger from '@creditline/transaction-logger/composition';
import { createHandler as createLoggerHandler } from '@creditline/transaction-logger/create-handler';
import * as validator from '@creditline/transaction-validator/composition';
import { createHandler as createValidatorHandler } from '@creditline/transaction-validator/create-handler';
import type { S3Event } from 'aws-lambda';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { txEntity, userEntity } from '../checker/verdicts.js';
import { addAwsFaults, addDynamoDbFaults } from '../faults/aws-middleware.js';
import type { SimClock } from '../faults/clock.js';
import {
  addStreamFaults,
  pipeTargetWithFaults,
  queueTargetWithFaults,
} from '../faults/pipeline.js';
import type { FaultProfile } from '../faults/profile.js';
import {
  openScope,
  runInScope,
  SimKilled,
  type FaultScope,
  type Injector,
} from '../faults/scope.js';
import { withSqlFaults, type AuroraSwitch } from '../faults/sql.js';
import type { Planted } from '../planted/planted.js';
import type { Random } from '../random.js';
import { whileInFlight } from './in-flight.js';
import { authorizerFor, type SimPartner } from './partners.js';
import type { WebhookReceiver } from './webhook-receiver.js';

/**
 * The whole system in process, composed as the local runtime composes it (local/src/runtime/
 * runtime.ts): the real handlers with their own composeDependencies, over the stand-ins, with
 * the local Pipe (stream poller), bus, queues (time scaled), event source mappings and
 * Firehose. The differences are the simulation's: every client carries fault middleware, the
 * clock can jump, invocations run in fault scopes, and the handlers are invoked directly
 * instead of through the HTTP server and s3rver's notifications.
 */
export interface SystemOptions {
  readonly endpoints: {
    readonly dynamodb: string;
    readonly s3: string;
    readonly databaseUrl: string;
  };
  readonly tables: TableNames;
  readonly buckets: { readonly deposits: string; readonly reports: string };
  readonly workDir: string;
  readonly partners: readonly SimPartner[];
  readonly profile: FaultProfile;
  readonly injector: Injector;
  readonly aurora: AuroraSwitch;
  readonly clock: SimClock;
  /** The fault streams of background invocations derive from it. */
  readonly random: Random;
  readonly receiver: WebhookReceiver;
  /** Queue durations are multiplied by it (the production settings, compressed). */
  readonly timeScale: number;
  readonly callbackTimeoutMs: number;
  readonly planted: Planted;
  /**
   * Told what each SQS batch invocation did with each of its messages (settled, failed and why,
   * killed), naming the transactions and users, so a trace shows a decision's settlement.
   */
  readonly onBatch?: (entities: readonly string[], text: string) => void;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Readonly<Record<string, string>>;
}

export type Invocation<T> =
  | { readonly kind: 'answered'; readonly value: T; readonly scope: FaultScope }
  | { readonly kind: 'killed'; readonly scope: FaultScope }
  | { readonly kind: 'crashed'; readonly error: unknown; readonly scope: FaultScope };

export interface System {
  readonly tables: TableNames;
  readonly auditDir: string;
  readonly callbackQueue: LocalQueue;
  readonly logQueue: LocalQueue;
  readonly sql: ReturnType<typeof createPgSqlClient>;
  readonly doc: DynamoDBDocumentClient;
  /** An HTTP API request from a partner, as API Gateway hands it to the validator. */
  http(
    partner: SimPartner,
    method: string,
    path: string,
    body: unknown,
    scope: FaultScope,
  ): Promise<Invocation<HttpAnswer>>;
  /** A TransactionRequested event as EventBridge delivers it to the validator. */
  event(
    envelope: {
      readonly source: string;
      readonly account: string;
      readonly detailType?: string;
      readonly detail: unknown;
    },
    scope: FaultScope,
  ): Promise<Invocation<undefined>>;
  /** The partner uploads a file; S3 notifies the DepositProcessor (one invocation of it). */
  upload(
    partner: SimPartner,
    name: string,
    csv: string,
  ): Promise<{ key: string; etag: string; sequencer: string }>;
  ingest(
    object: { key: string; etag: string; sequencer: string; size: number },
    scope: FaultScope,
  ): Promise<Invocation<unknown>>;
  reconcile(repair: boolean, scope: FaultScope): Promise<Invocation<ReconciliationResult>>;
  /** Background invocations in flight (SQS batches, Pipe pages). */
  scopeFor(label: string, op?: number): FaultScope;
  /** The kinds of differences a reconciliation summary names (those found at least once). */
  reportKinds(summaryKey: string): Promise<Record<string, number>>;
  /** The first rows of a run's differences CSV (header first), so a drift names its users. */
  reportRows(summaryKey: string, limit: number): Promise<string[]>;
  /** Stops the Pipe's loop and runs it to the end of the stream; resolves when it published nothing more. */
  drainPipe(): Promise<number>;
  stop(): Promise<void>;
}

/** Seconds before attempts 2..8 (Svix's shape; whole seconds, as the schedule rounds them). */
const simRetryDelaysSeconds = [0, 1, 1, 1, 2, 4, 6, 6] as const;

const sequencerOf = (counter: number): string =>
  counter.toString(16).toUpperCase().padStart(18, '0');

export const startSystem = async (options: SystemOptions): Promise<System> => {
  const { injector, profile, clock, planted } = options;
  const base = { region: localRegion, credentials: localCredentials };

  const dynamo = new DynamoDBClient({ ...base, endpoint: options.endpoints.dynamodb });
  addDynamoDbFaults(dynamo, injector, profile);
  const docBase = new DynamoDBClient({ ...base, endpoint: options.endpoints.dynamodb });
  addDynamoDbFaults(docBase, injector, profile);
  planted.instrumentDynamoDb(docBase, options.tables);
  const documentOptions = {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  };
  const doc = DynamoDBDocumentClient.from(docBase, documentOptions);
  // The account operations' own client, without SDK retries (see CreditCacheStoreOptions), as
  // the validator has it in AWS; the same faults reach it, except the SDK's own resend of a
  // write whose answer was lost, which a client without retries never makes.
  const operationsBase = new DynamoDBClient({
    ...base,
    endpoint: options.endpoints.dynamodb,
    maxAttempts: 1,
  });
  addDynamoDbFaults(operationsBase, injector, profile, { sdkRetries: false });
  planted.instrumentDynamoDb(operationsBase, options.tables);
  const operationsDoc = DynamoDBDocumentClient.from(operationsBase, documentOptions);
  const s3Config = {
    region: localRegion,
    endpoint: options.endpoints.s3,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
  const s3 = new S3Client({ ...s3Config });
  addAwsFaults(s3, 'S3', injector, profile);
  // The partners' own S3 client: their upload is not the system's, no faults there.
  const partnerS3 = new S3Client(s3Config);
  const rawSql = createPgSqlClient(options.endpoints.databaseUrl, { max: 20 });
  const sql = withSqlFaults(rawSql, injector, profile, options.aurora);
  const streams = new DynamoDBStreamsClient({ ...base, endpoint: options.endpoints.dynamodb });
  addStreamFaults(streams, injector, profile);
  const tables = options.tables;

  const queueDir = join(options.workDir, 'queues');
  const logQueue = createLocalQueue({
    definition: transactionLogQueue,
    dir: queueDir,
    timeScale: options.timeScale,
  });
  const callbackQueue = createLocalQueue({
    definition: callbacksQueue,
    dir: queueDir,
    timeScale: options.timeScale,
  });
  const queueAdmin = createLocalQueueAdmin([logQueue, callbackQueue]);
  const auditDir = join(options.workDir, 'audit');
  const firehose = createLocalFirehose({ dir: auditDir, streamName: 'creditline-sim-audit' });
  const audit = {
    putRecords: async (records: readonly string[]) => {
      injector.beforeStoreCall('Firehose PutRecordBatch');
      if (injector.draw('aws-5xx', profile.aws5xx, 'Firehose PutRecordBatch'))
        throw Object.assign(new Error('sim: Firehose ServiceUnavailableException'), {
          name: 'ServiceUnavailableException',
          $metadata: { httpStatusCode: 503 },
        });
      return firehose.putRecords(records);
    },
  };

  const partnerConfigs = options.partners.map((partner) => partner.config);
  const validatorHandler = createValidatorHandler(
    validator.composeDependencies({
      stores: validator.createStores({
        doc,
        operationsDoc,
        sql,
        tables,
        partners: partnerConfigs,
      }),
      // The bus is built next (it targets this handler); events are only published after start.
      publisher: { publish: (events) => bus.publish(events) },
      partners: partnerConfigs,
      clock,
      ...createObservability('transaction-validator'),
    }),
  );

  const scopeFor = (label: string, op?: number): FaultScope =>
    openScope({
      label,
      ...(op !== undefined ? { op } : {}),
      random: options.random.fork(label),
      killProbability: profile.kill,
    });

  const bus = createInProcessBus({
    clock,
    targets: {
      'transaction-validator': async (event) => {
        await validatorHandler(event, undefined);
      },
      'transaction-log-queue': queueTargetWithFaults(logQueue, injector, profile),
      'callbacks-queue': queueTargetWithFaults(callbackQueue, injector, profile),
    },
  });

  // Partners' webhook secrets, as the local runtime keeps them (rotation goes through the endpoint).
  const secrets = createLocalSecretStore(
    join(options.workDir, 'secrets.json'),
    Object.fromEntries(options.partners.map((partner) => [partner.id, partner.webhookSecret])),
  );
  const awsEndpoint = await startLocalAwsEndpoint({
    port: 0,
    queues: [logQueue, callbackQueue],
    bus,
    secrets,
  });
  const eventBridge = new EventBridgeClient({ ...base, endpoint: awsEndpoint.url });
  addAwsFaults(eventBridge, 'EventBridge', injector, profile);
  const depositHandler = createDepositHandler(
    deposits.composeDependencies(
      { s3, doc, tables, sql, eventBridge, eventBusName: 'creditline-sim' },
      createObservability('deposit-processor'),
      {
        clock,
        wrapLedger: planted.wrapDepositLedger(doc, tables),
      },
    ),
  );
  const loggerHandler = createLoggerHandler(
    logger.composeDependencies(
      { sql, doc, transactionLogTable: tables.transactionLog, auditWriter: audit },
      createObservability('transaction-logger'),
      clock,
    ),
  );
  const sender = createWebhookSender({ timeoutMs: options.callbackTimeoutMs });
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
        // The dispatcher's DelaySeconds are seconds of its own clock (the real one), not of the
        // queue's compressed time: handed to the queue in its own time, so a retry arrives when
        // it is due instead of early and hopping again towards its due time.
        retries: {
          send: (body, delaySeconds) =>
            callbackQueue.delayed.send(body, delaySeconds / options.timeScale),
        },
        sender: {
          send: (request) => {
            injector.beforeStoreCall('webhook POST');
            return sender.send(request);
          },
        },
      },
      {
        stage: 'local',
        partners: partnerConfigs,
        // Production's schedule and breaker, compressed: Svix's 8 attempts over 27 h in about
        // 20 s, the circuit's 30 s .. 10 min open in 1.5 s .. 30 s (as the queues' 0.05), so a
        // run drains within minutes of its last operation. The sim's timeout is shortened alike.
        retryPolicy: { ...svixSchedule, delaysSeconds: simRetryDelaysSeconds },
        breaker: {
          ...defaultBreakerSettings,
          openMs: defaultBreakerSettings.openMs * options.timeScale,
          maxOpenMs: defaultBreakerSettings.maxOpenMs * options.timeScale,
        },
      },
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
        reportsBucket: options.buckets.reports,
        publisher: bus,
        queueAdmin,
      },
      clock,
      ...createObservability('reconciliation'),
    }),
  );

  /** An invocation in its scope: a killed one's answer is discarded, a thrown one is a crash. */
  const invoke = async <T>(scope: FaultScope, work: () => Promise<T>): Promise<Invocation<T>> => {
    try {
      const value = await runInScope(scope, work);
      return scope.killed ? { kind: 'killed', scope } : { kind: 'answered', value, scope };
    } catch (error) {
      return scope.killed || error instanceof SimKilled
        ? { kind: 'killed', scope }
        : { kind: 'crashed', error, scope };
    }
  };

  /** Lambda's SQS poller around a real handler: each batch an invocation in its own scope. */
  const consumer =
    (functionName: string, queue: LocalQueue, handler: SqsHandler): SqsHandler =>
    async (event, context) => {
      const first = event.Records[0];
      const key = (() => {
        try {
          const body = JSON.parse(first?.body ?? '{}') as { detail?: { transaction_id?: string } };
          return body.detail?.transaction_id ?? 'batch';
        } catch {
          return 'batch';
        }
      })();
      const scope = scopeFor(
        `${functionName}:${key}:${first?.attributes.ApproximateReceiveCount ?? '1'}:${event.Records.length}`,
      );
      // Lambda's function timeout stays below the visibility timeout; compressed time does not.
      const result = await whileInFlight(
        queue,
        event.Records.map((record) => record.receiptHandle),
        () => invoke(scope, () => handler(event, context)),
      );
      if (options.onBatch) {
        const failed = new Set(
          result.kind === 'answered'
            ? (result.value?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier)
            : event.Records.map((record) => record.messageId),
        );
        const faults = injector.log.all
          .filter((fault) => fault.scope === scope.label)
          .map((fault) => `${fault.kind} ${fault.detail}`);
        for (const record of event.Records) {
          const detail = (() => {
            try {
              return (
                JSON.parse(record.body) as {
                  detail?: { transaction_id?: string; partner_id?: string; user_id?: string };
                }
              ).detail;
            } catch {
              return undefined;
            }
          })();
          if (!detail?.transaction_id) continue;
          const partner = detail.partner_id ?? '';
          options.onBatch(
            [
              txEntity(partner, detail.transaction_id),
              ...(detail.user_id ? [userEntity(partner, detail.user_id)] : []),
            ],
            `${functionName} receive ${record.attributes.ApproximateReceiveCount} of ${partner}/${detail.transaction_id} → ${
              result.kind === 'answered'
                ? failed.has(record.messageId)
                  ? 'failed'
                  : 'done'
                : result.kind
            }${result.kind === 'crashed' ? `: ${String(result.error)}` : ''}${faults.length > 0 ? ` [${faults.length} fault(s) in the batch: ${faults.join('; ')}]` : ''}`,
          );
        }
      }
      if (result.kind === 'killed') throw new SimKilled(scope.label);
      if (result.kind === 'crashed')
        throw result.error instanceof Error ? result.error : new Error(String(result.error));
      const lost = await runInScope(scope, () =>
        Promise.resolve(
          injector.draw(
            'sqs-lost-delete',
            profile.sqsLostDelete,
            `${event.Records.length} message(s)`,
          ),
        ),
      );
      if (lost)
        return {
          batchItemFailures: event.Records.map((record) => ({ itemIdentifier: record.messageId })),
        };
      return result.value;
    };

  const pipeScope = openScope({
    label: 'pipe',
    random: options.random.fork('pipe'),
    killProbability: 0,
  });
  const pipePublisher: EventPublisher = planted.wrapPipePublisher(
    pipeTargetWithFaults(bus, injector, profile),
  );
  const poller = createStreamPoller({
    dynamo,
    streams,
    tableName: tables.transactionLog,
    publisher: pipePublisher,
    checkpointFile: join(options.workDir, 'pipe-checkpoint.json'),
    pollIntervalMs: 150,
    onError: () => undefined,
  });
  // The hold journal's event source mapping on the CreditCache stream.
  const journal = createHoldJournalMapping({
    dynamo,
    streams,
    doc,
    tables,
    publisher: bus,
    partners: partnerConfigs,
    checkpointFile: join(options.workDir, 'hold-journal-checkpoint.json'),
    pollIntervalMs: 150,
    onError: () => undefined,
  });
  const mappings = [
    createEventSourceMapping({
      queue: logQueue,
      handler: consumer('transaction-logger', logQueue, loggerHandler),
      functionName: 'transaction-logger',
      pollIntervalMs: 10,
      onError: () => undefined,
    }),
    createEventSourceMapping({
      queue: callbackQueue,
      handler: consumer('callback-dispatcher', callbackQueue, dispatcherHandler),
      functionName: 'callback-dispatcher',
      pollIntervalMs: 10,
      onError: () => undefined,
    }),
  ];
  void runInScope(pipeScope, () => {
    poller.start();
    journal.start();
    return Promise.resolve();
  });
  for (const mapping of mappings) mapping.start();

  let sequencer = 1;

  return {
    tables,
    auditDir,
    callbackQueue,
    logQueue,
    sql: rawSql,
    doc,
    scopeFor,
    http: (partner, method, path, body, scope) =>
      invoke(scope, async () => {
        const url = new URL(path, 'http://api.sim.local');
        const matched = matchRoute(method, url.pathname);
        if (matched.route === null) throw new Error(`no route for ${method} ${path}`);
        const text =
          body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
        // The principal API Gateway's IAM authorizer verified: a session of the partner's role.
        const verified = toApiGatewayEvent({
          caller: authorizerFor(partner).iam,
          method,
          url,
          headers: { 'content-type': 'application/json', host: url.host },
          body: Buffer.from(text, 'utf8'),
          route: routeKey(matched.route),
          pathParameters: matched.pathParameters,
          sourceIp: '203.0.113.10',
          now: new Date(),
        });
        const response = await validatorHandler(verified, undefined);
        if (!response) throw new Error('the validator answered an HTTP event with nothing');
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers))
          headers[name.toLowerCase()] = value;
        let parsed: unknown = response.body;
        try {
          parsed = JSON.parse(response.body) as unknown;
        } catch {
          // Left as text: the checker flags a body that is not JSON.
        }
        return { status: response.statusCode, body: parsed, headers };
      }),
    event: (envelope, scope) =>
      invoke(scope, async () => {
        await validatorHandler(
          {
            version: '0',
            id: randomUUID(),
            'detail-type': envelope.detailType ?? 'TransactionRequested',
            source: envelope.source,
            account: envelope.account,
            time: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
            region: localRegion,
            resources: [],
            detail: envelope.detail,
          },
          undefined,
        );
        return undefined;
      }),
    upload: async (partner, name, csv) => {
      const key = `inbox/${partner.id}/${name}`;
      const put = await partnerS3.send(
        new PutObjectCommand({
          Bucket: options.buckets.deposits,
          Key: key,
          Body: csv,
          ContentType: 'text/csv',
        }),
      );
      sequencer += 1;
      return { key, etag: (put.ETag ?? '').replaceAll('"', ''), sequencer: sequencerOf(sequencer) };
    },
    ingest: (object, scope) =>
      invoke(scope, () => {
        const event: S3Event = {
          Records: [
            {
              eventVersion: '2.1',
              eventSource: 'aws:s3',
              awsRegion: localRegion,
              eventTime: new Date().toISOString(),
              eventName: 'ObjectCreated:Put',
              userIdentity: { principalId: 'AWS:SIM' },
              requestParameters: { sourceIPAddress: '203.0.113.10' },
              responseElements: { 'x-amz-request-id': randomUUID(), 'x-amz-id-2': randomUUID() },
              s3: {
                s3SchemaVersion: '1.0',
                configurationId: 'creditline-sim-deposits-inbox',
                bucket: {
                  name: options.buckets.deposits,
                  ownerIdentity: { principalId: 'SIM' },
                  arn: `arn:aws:s3:::${options.buckets.deposits}`,
                },
                object: {
                  key: toS3NotificationKey(object.key),
                  size: object.size,
                  eTag: object.etag,
                  sequencer: object.sequencer,
                },
              },
            },
          ],
        };
        return depositHandler(event, undefined);
      }),
    reconcile: (repair, scope) =>
      invoke(scope, () => reconciliationHandler({ repair }, { awsRequestId: randomUUID() })),
    reportKinds: async (summaryKey) => {
      const object = await partnerS3.send(
        new GetObjectCommand({ Bucket: options.buckets.reports, Key: summaryKey }),
      );
      const summary = JSON.parse((await object.Body?.transformToString('utf8')) ?? '{}') as {
        differences_by_kind?: Record<string, number>;
      };
      return Object.fromEntries(
        Object.entries(summary.differences_by_kind ?? {}).filter(([, count]) => count > 0),
      );
    },
    reportRows: async (summaryKey, limit) => {
      const read = async (objectKey: string): Promise<string> => {
        const object = await partnerS3.send(
          new GetObjectCommand({ Bucket: options.buckets.reports, Key: objectKey }),
        );
        return (await object.Body?.transformToString('utf8')) ?? '';
      };
      const summary = JSON.parse(await read(summaryKey)) as { differences_key?: string };
      if (!summary.differences_key) return [];
      return (await read(summary.differences_key))
        .split('\n')
        .filter(Boolean)
        .slice(0, limit + 1);
    },
    drainPipe: async () => {
      // The journal first: a hold it finalizes is a decision the Pipe then publishes.
      await Promise.all([poller.stop(), journal.stop()]);
      let total = 0;
      for (;;) {
        const healed = await runInScope(pipeScope, () => journal.pollOnce());
        const published = await runInScope(pipeScope, () => poller.pollOnce());
        total += published;
        if (published === 0 && healed === 0) return total;
      }
    },
    stop: async () => {
      await Promise.all([poller.stop(), journal.stop()]);
      await Promise.all(mappings.map((mapping) => mapping.stop()));
      await awsEndpoint.stop();
      dynamo.destroy();
      docBase.destroy();
      operationsBase.destroy();
      s3.destroy();
      partnerS3.destroy();
      streams.destroy();
      eventBridge.destroy();
      await rawSql.close();
    },
  };
};

export const simTableNames = (prefix: string): TableNames => tableNames(prefix);
