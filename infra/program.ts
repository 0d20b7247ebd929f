import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { envNames } from '@creditline/adapters/config/env';
import { Api } from './components/api.js';
import { AuditStream } from './components/audit.js';
import { EventBus } from './components/bus.js';
import { DataStores } from './components/data.js';
import { Database } from './components/database.js';
import { Functions, type DeployedFunction } from './components/functions.js';
import { Migrations } from './components/migrations.js';
import { Monitoring } from './components/monitoring.js';
import { Queues } from './components/queues.js';
import { Routing } from './components/routing.js';
import { allFunctionNames, type FunctionName } from './lib/catalog.js';
import type { Stage, StackConfig } from './lib/config.js';
import { naming as makeNaming } from './lib/naming.js';
import { partnersEnvironment } from './lib/partners.js';
import type { StoreArns } from './lib/policies.js';
import type { Migration } from './migrator/migrations.js';
import { migrationFileName, migrationsHash } from './migrator/migrations.js';

export const projectName = 'creditline';

export interface ProgramOptions {
  readonly config: StackConfig & { readonly stage: Stage };
  /** Functions whose handler exists; the others are not wired. */
  readonly available: readonly FunctionName[];
  readonly migrations: readonly Migration[];
}

export interface StackOutputs {
  readonly apiUrl: pulumi.Output<string> | string;
  readonly busName: pulumi.Output<string>;
  readonly bucketNames: pulumi.Output<{ deposits: string; reports: string; audit: string }>;
  readonly dashboardUrl: pulumi.Output<string>;
  readonly functionsNotDeployed: readonly string[];
}

/**
 * The whole stack. Order follows the data flow: stores, database, queues and bus (which the
 * functions' environment names), audit stream, functions, then what routes events to them,
 * the API, the schema migrations and monitoring.
 */
export const createCreditline = (options: ProgramOptions): StackOutputs => {
  const { config } = options;
  const naming = makeNaming(projectName, config.stage);
  const prod = config.stage === 'prod';

  const provider = new aws.Provider('aws', {
    region: config.region as aws.Region,
    defaultTags: { tags: { project: projectName, stage: config.stage, 'managed-by': 'pulumi' } },
  });
  const opts: pulumi.ComponentResourceOptions = { providers: [provider] };
  const accountId = aws.getCallerIdentityOutput({}, { provider }).accountId;

  const data = new DataStores(
    'data',
    {
      naming,
      accountId,
      deletionProtection: config.deletionProtection,
      auditRetentionDays: config.auditRetentionDays,
    },
    opts,
  );
  const database = new Database(
    'database',
    {
      naming,
      minAcu: config.auroraMinAcu,
      maxAcu: config.auroraMaxAcu,
      deletionProtection: config.deletionProtection,
      kmsKeyArn: data.key.arn,
    },
    opts,
  );
  const queues = new Queues('queues', { naming }, opts);
  const bus = new EventBus(
    'events',
    {
      naming,
      partners: config.partners,
      archiveRetentionDays: Math.min(config.auditRetentionDays, 365),
    },
    opts,
  );
  const audit = new AuditStream(
    'audit',
    {
      naming,
      region: config.region,
      accountId,
      bucket: data.buckets.audit,
      keyArn: data.key.arn,
      logRetentionDays: config.logRetentionDays,
      bufferingIntervalSeconds: prod ? 300 : 60,
      ...(config.redshift ? { redshift: config.redshift } : {}),
    },
    opts,
  );

  const arns: pulumi.Output<StoreArns> = pulumi
    .all([
      pulumi.all([
        data.key.arn,
        data.tables.creditCache.arn,
        data.tables.depositEvents.arn,
        data.tables.transactionLog.arn,
      ]),
      pulumi.all([
        data.buckets.deposits.arn,
        data.buckets.reports.arn,
        database.cluster.arn,
        database.secretArn,
        bus.bus.arn,
        audit.stream.arn,
      ]),
      pulumi.all([
        queues.transactionLog.queue.arn,
        queues.callbacks.queue.arn,
        queues.callbacks.dlq.arn,
        queues.asyncDlq.arn,
      ]),
    ])
    .apply(
      ([
        [dataKey, creditCache, depositEvents, transactionLog],
        [deposits, reports, cluster, dbSecret, busArn, auditStream],
        [tlq, cbq, cbDlq, asyncDlq],
      ]): StoreArns => ({
        region: config.region,
        dataKey,
        tables: { creditCache, depositEvents, transactionLog },
        buckets: { deposits, reports },
        cluster,
        dbSecret,
        bus: busArn,
        auditStream,
        queues: {
          transactionLog: tlq,
          callbacks: cbq,

          callbacksDlq: cbDlq,
          asyncFailures: asyncDlq,
        },
        partnerSecrets: config.partners.map((partner) => partner.webhookSecretArn),
      }),
    );

  const environment: Record<string, pulumi.Input<string>> = {
    [envNames.stage]: config.stage,
    [envNames.creditCacheTable]: data.tables.creditCache.name,
    [envNames.depositEventsTable]: data.tables.depositEvents.name,
    [envNames.transactionLogTable]: data.tables.transactionLog.name,
    [envNames.dbClusterArn]: database.cluster.arn,
    [envNames.dbSecretArn]: database.secretArn,
    [envNames.dbName]: database.databaseName,
    [envNames.eventBusName]: bus.bus.name,
    [envNames.depositsBucket]: data.buckets.deposits.bucket,
    [envNames.reportsBucket]: data.buckets.reports.bucket,
    [envNames.auditStream]: audit.stream.name,
    [envNames.transactionLogQueueUrl]: queues.transactionLog.queue.url,
    [envNames.transactionLogDlqUrl]: queues.transactionLog.dlq.url,
    [envNames.callbacksQueueUrl]: queues.callbacks.queue.url,
    [envNames.callbacksDlqUrl]: queues.callbacks.dlq.url,
    // What the functions know of a partner: `partnerSchema` exactly (its API role, source and account).
    [envNames.partners]: accountId.apply((account) =>
      JSON.stringify(partnersEnvironment(config.partners, naming, account)),
    ),
  };

  const functions = new Functions(
    'functions',
    {
      naming,
      available: options.available,
      logRetentionDays: config.logRetentionDays,
      logLevel: config.logLevel,
      arns,
      environment,
      asyncDlqArn: queues.asyncDlq.arn,
    },
    opts,
  );
  const deployed = functions.deployed;

  new Routing(
    'routing',
    {
      naming,
      region: config.region,
      accountId,
      bus: bus.bus,
      queues,
      functions: deployed,
      transactionLogTable: data.tables.transactionLog,
      depositsBucket: data.buckets.deposits,
      keyArn: data.key.arn,
      reconciliationSchedule: config.reconciliationSchedule,
    },
    opts,
  );

  const validator = deployed['transaction-validator'];
  const api = validator
    ? new Api(
        'api',
        {
          naming,
          validator: validator.fn,
          partners: config.partners,
          throttling: config.apiThrottling,
          logRetentionDays: config.logRetentionDays,
        },
        opts,
      )
    : undefined;

  const migrator = deployed.migrator;
  if (migrator) {
    new Migrations(
      'migrations',
      {
        migrator,
        migrationsHash: migrationsHash(options.migrations),
        migrationFiles: options.migrations.map(migrationFileName),
        database: database.writer,
      },
      opts,
    );
  }

  const deployedList: DeployedFunction[] = allFunctionNames.flatMap((name) => {
    const fn = deployed[name];
    return fn ? [fn] : [];
  });
  const monitoring = new Monitoring(
    'monitoring',
    {
      naming,
      region: config.region,
      alarmEmail: config.alarmEmail,
      functions: deployedList,
      queues: [
        {
          logicalName: queues.transactionLog.definition.logicalName,
          queue: queues.transactionLog.queue,
        },
        { logicalName: queues.callbacks.definition.logicalName, queue: queues.callbacks.queue },
      ],
      deadLetterQueues: queues.deadLetterQueues,
      auditStream: audit.stream,
      auditSuccessMetric: audit.successMetric,
      ...(api ? { api: api.api } : {}),
      decisionLatencyP99Ms: 250,
    },
    opts,
  );

  return {
    apiUrl: api ? api.url : 'not deployed: transaction-validator handler missing',
    busName: bus.bus.name,
    bucketNames: pulumi
      .all([data.buckets.deposits.bucket, data.buckets.reports.bucket, data.buckets.audit.bucket])
      .apply(([deposits, reports, auditBucket]) => ({ deposits, reports, audit: auditBucket })),
    dashboardUrl: monitoring.dashboardUrl,
    functionsNotDeployed: allFunctionNames.filter((name) => !deployed[name]),
  };
};
