import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { envNames } from '@creditline/adapters/config/env';
import { Api } from './components/api.js';
import { AuditStream } from './components/audit.js';
import { EventBus } from './components/bus.js';
import { DataStores } from './components/data.js';
import { Database } from './components/database.js';
import { DatabaseCredentials } from './components/database-credentials.js';
import { Functions, type DeployedFunction } from './components/functions.js';
import { Migrations } from './components/migrations.js';
import { Monitoring } from './components/monitoring.js';
import { Queues } from './components/queues.js';
import { Routing } from './components/routing.js';
import { allFunctionNames, type FunctionName } from './lib/catalog.js';
import type { Stage, StackConfig } from './lib/config.js';
import { databaseUsers, roleSecretsVariable, type DatabaseUser } from './lib/database-roles.js';
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
  /** When this deploy runs (names what is fixed at creation); the offline plan pins it. */
  readonly deployedAt?: Date;
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
      region: config.region,
      accountId,
      deletionProtection: config.deletionProtection,
      auditRetentionDays: config.auditRetentionDays,
    },
    opts,
  );
  const keyArn = data.key.arn;
  const database = new Database(
    'database',
    {
      naming,
      minAcu: config.auroraMinAcu,
      maxAcu: config.auroraMaxAcu,
      deletionProtection: config.deletionProtection,
      kmsKeyArn: keyArn,
      readers: prod ? 1 : 0,
      logRetentionDays: config.logRetentionDays,
      deployedAt: options.deployedAt ?? new Date(),
    },
    opts,
  );
  const credentials = new DatabaseCredentials(
    'database-credentials',
    { naming, kmsKeyArn: keyArn, deletionProtection: config.deletionProtection },
    opts,
  );
  const queues = new Queues('queues', { naming, keyArn }, opts);
  const bus = new EventBus(
    'events',
    {
      naming,
      partners: config.partners,
      archiveRetentionDays: Math.min(config.auditRetentionDays, 365),
      keyArn,
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
      keyArn,
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
        data.tables.webhooks.arn,
        data.tables.creditCache.streamArn,
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
      pulumi.all(databaseUsers.map((user) => credentials.secrets[user].arn)),
    ])
    .apply(
      ([
        [dataKey, creditCache, depositEvents, transactionLog, webhooks, creditCacheStream],
        [deposits, reports, cluster, dbSecret, busArn, auditStream],
        [tlq, cbq, cbDlq, asyncDlq],
        roleSecrets,
      ]): StoreArns => ({
        region: config.region,
        dataKey,
        tables: { creditCache, depositEvents, transactionLog, webhooks },
        streams: { creditCache: creditCacheStream },
        buckets: { deposits, reports },
        cluster,
        dbSecret,
        dbRoleSecrets: Object.fromEntries(
          databaseUsers.map((user, i) => [user, roleSecrets[i] ?? '']),
        ) as Record<DatabaseUser, string>,
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
    [envNames.webhooksTable]: data.tables.webhooks.name,
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

  // Each database user works as its own role; the migrator as the master user, and it is
  // told every role's secret so that it can give the roles their passwords.
  const environmentOf: Partial<Record<FunctionName, Record<string, pulumi.Input<string>>>> = {
    migrator: {
      // The owner of rows from before tenancy, should 006_tenancy find any.
      [envNames.defaultPartner]: config.defaultPartner ?? config.partners[0]?.id ?? '',
      [roleSecretsVariable]: credentials.roleSecretArns.apply((map) => JSON.stringify(map)),
    },
  };
  for (const user of databaseUsers)
    environmentOf[user] = { [envNames.dbSecretArn]: credentials.secrets[user].arn };

  const functions = new Functions(
    'functions',
    {
      naming,
      available: options.available,
      logRetentionDays: config.logRetentionDays,
      logLevel: config.logLevel,
      keyArn,
      arns,
      environment,
      environmentOf,
      asyncDlqArn: queues.asyncDlq.arn,
      // Schema first: the application's functions depend on this invocation.
      migrate: (migrator) => [
        new Migrations(
          'migrations',
          {
            migrator,
            migrationsHash: migrationsHash(options.migrations),
            migrationFiles: options.migrations.map(migrationFileName),
            roleSecretArns: credentials.roleSecretArns,
            database: database.writer,
          },
          opts,
        ).invocation,
      ],
    },
    opts,
  );
  const deployed = functions.deployed;

  const routing = new Routing(
    'routing',
    {
      naming,
      region: config.region,
      accountId,
      bus: bus.bus,
      queues,
      functions: deployed,
      transactionLogTable: data.tables.transactionLog,
      creditCacheTable: data.tables.creditCache,
      depositsBucket: data.buckets.deposits,
      keyArn,
      reconciliationSchedule: config.reconciliationSchedule,
      logRetentionDays: config.logRetentionDays,
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
          keyArn,
          depositsBucketArn: data.buckets.deposits.arn,
          region: config.region,
        },
        opts,
      )
    : undefined;

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
      keyArn,
      pipe: routing.pipe,
      cluster: database.cluster,
      auroraMaxAcu: config.auroraMaxAcu,
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
