import { describe, expect, it } from 'vitest';
import { envNames } from '@creditline/adapters/config/env';
import { allFunctionNames, envVariablesOf, functionSpecs } from './catalog.js';
import { assertVisibility, minimumVisibilitySeconds, visibilityProblems } from './consumers.js';
import { dashboardBody, dashboardUrl } from './dashboard.js';
import { roleSecretsVariable } from './database-roles.js';
import { naming } from './naming.js';
import { accessLogFormat, apiRoutes, routeArn, routeKey, routeSlug } from './routes.js';
import { auditErrorPrefix, auditPrefix, lifecycleRules } from './storage.js';
import {
  callbacksQueue,
  minimumDepositTimeoutSeconds,
  transactionLogQueue,
} from '@creditline/adapters/definitions';

describe('naming', () => {
  it('prefixes every name with project and stage, table names from the shared definitions', () => {
    const n = naming('creditline', 'dev');
    expect(n.name('bus')).toBe('creditline-dev-bus');
    expect(n.tables.transactionLog).toBe('creditline-dev-TransactionLog');
    expect(n.bucket('audit', '111122223333')).toBe('creditline-dev-audit-111122223333');
    expect(n.logGroup('creditline-dev-x')).toBe('/aws/lambda/creditline-dev-x');
    expect(() => n.name('x'.repeat(80))).toThrow(/longer than 64/);
  });
});

describe('function catalog', () => {
  it('uses only environment names of the shared contract (and the migrator its own)', () => {
    const known = new Set<string>([...Object.values(envNames), roleSecretsVariable]);
    for (const name of allFunctionNames)
      for (const variable of envVariablesOf(name)) expect(known.has(variable), variable).toBe(true);
  });

  it('gives queue consumers a timeout the queue visibility covers six times over, plus the window', () => {
    const consumers = [
      { definition: transactionLogQueue, fn: 'transaction-logger' },
      { definition: callbacksQueue, fn: 'callback-dispatcher' },
    ] as const;
    expect(
      visibilityProblems(
        consumers.map(({ definition, fn }) => ({
          queue: definition.logicalName,
          visibilityTimeoutSeconds: definition.visibilityTimeoutSeconds,
          maximumBatchingWindowSeconds: definition.maximumBatchingWindowSeconds,
          functionName: fn,
          functionTimeoutSeconds: functionSpecs[fn].timeoutSeconds,
        })),
      ),
    ).toEqual([]);
  });

  it('gives the DepositProcessor time for the largest file it accepts, with the margin', () => {
    expect(functionSpecs['deposit-processor'].timeoutSeconds).toBeGreaterThanOrEqual(
      minimumDepositTimeoutSeconds(),
    );
    expect(functionSpecs['deposit-processor'].timeoutSeconds).toBeLessThanOrEqual(900);
  });

  it('reserves no concurrency (an account with the default quota refuses any reservation)', () => {
    for (const name of allFunctionNames) expect(functionSpecs[name]).not.toHaveProperty('reservedConcurrency');
  });
});

describe('queue visibility against the consumer timeout', () => {
  const consumer = {
    queue: 'q',
    visibilityTimeoutSeconds: 60,
    maximumBatchingWindowSeconds: 1,
    functionName: 'f',
    functionTimeoutSeconds: 9,
  };
  it('asks for 6 × the function timeout plus the batching window', () => {
    expect(minimumVisibilitySeconds(consumer)).toBe(55);
    expect(visibilityProblems([consumer])).toEqual([]);
    expect(visibilityProblems([{ ...consumer, visibilityTimeoutSeconds: 55 }])).toEqual([]);
  });
  it('names each mapping that falls short, as the seed had them (60 s vs 30 s, 30 s vs 25 s)', () => {
    const problems = visibilityProblems([
      { ...consumer, queue: 'transaction-log', functionName: 'transaction-logger', functionTimeoutSeconds: 30 },
      { ...consumer, queue: 'callbacks', functionName: 'callback-dispatcher', visibilityTimeoutSeconds: 30, maximumBatchingWindowSeconds: 0, functionTimeoutSeconds: 25 },
    ]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain('transaction-log → transaction-logger: visibility timeout 60 s is below 6 × 30 s');
    expect(problems[1]).toContain('= 150 s');
    expect(() => {
      assertVisibility([{ ...consumer, functionTimeoutSeconds: 10 }]);
    }).toThrow(/61 s/);
  });
});

describe('routes', () => {
  it('names and scopes the API routes', () => {
    expect(apiRoutes.map(routeKey)).toEqual([
      'POST /v1/transactions',
      'GET /v1/transactions/{id}',
      'GET /v1/transactions/{id}/deliveries',
      'GET /v1/users/{id}/balance',
      'GET /v1/users/{id}/controls',
      'PUT /v1/users/{id}/controls',
    ]);
    // Slugs name the Pulumi resources: changing one replaces a deployed route.
    expect(apiRoutes.map(routeSlug)).toEqual([
      'post-v1-transactions',
      'get-v1-transactions-id',
      'get-v1-transactions-id-deliveries',
      'get-v1-users-id-balance',
      'get-v1-users-id-controls',
      'put-v1-users-id-controls',
    ]);
    const putControls = apiRoutes.find((route) => route.name === 'putControls');
    if (!putControls) throw new Error('no controls route');
    expect(routeArn('arn:aws:execute-api:eu-west-1:1:abc', '$default', putControls)).toBe(
      'arn:aws:execute-api:eu-west-1:1:abc/$default/PUT/v1/users/*/controls',
    );
    expect(Object.keys(JSON.parse(accessLogFormat) as object)).toContain('userArn');
  });
});

describe('storage', () => {
  it('partitions audit records by date and keeps errors apart', () => {
    expect(auditPrefix).toBe(
      'audit/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/',
    );
    expect(auditErrorPrefix).toContain('!{firehose:error-output-type}');
  });

  it('expires audit records at the configured retention, transitions only before it', () => {
    const short = lifecycleRules('audit', { auditRetentionDays: 60 }).find(
      (rule) => rule.id === 'audit-retention',
    );
    expect(short?.expiration).toEqual({ days: 60 });
    expect(short?.transitions).toEqual([{ days: 30, storageClass: 'STANDARD_IA' }]);
    for (const kind of ['deposits', 'reports', 'audit'] as const) {
      expect(lifecycleRules(kind, { auditRetentionDays: 365 }).map((rule) => rule.id)).toContain(
        'housekeeping',
      );
    }
  });
});

describe('dashboard', () => {
  it('shows latency, errors, queues, DLQs, audit delivery and drift', () => {
    const body = JSON.parse(
      dashboardBody({
        region: 'eu-west-1',
        namespace: 'creditline',
        functionNames: [
          {
            service: 'transaction-validator',
            physicalName: 'creditline-dev-transaction-validator',
          },
        ],
        queueNames: ['creditline-dev-callbacks'],
        dlqNames: ['creditline-dev-callbacks-dlq'],
        auditStreamName: 'creditline-dev-audit',
        auditSuccessMetric: 'DeliveryToS3.Success',
        apiId: 'abc',
      }),
    ) as { widgets: { properties: { title: string } }[] };
    expect(body.widgets.map((w) => w.properties.title)).toEqual([
      'Decision latency (ms)',
      'API requests and errors',
      'Function errors',
      'Function duration p99 (ms)',
      'Queue depth',
      'Dead-letter queues (should be 0)',
      'Audit delivery',
      'Reconciliation drift',
    ]);
    expect(dashboardUrl('eu-west-1', 'd')).toBe(
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=d',
    );
  });
});
