import { beforeAll, describe, expect, it } from 'vitest';
import { configPieces, readConfig } from '@creditline/adapters/config/env';
import { createPartnerIdentity } from '@creditline/adapters/identity/partner-identity';
import { dlqName, queues, rules, tables } from '@creditline/adapters/definitions';
import { allFunctionNames, appFunctionNames, type FunctionName } from '../lib/catalog.js';
import type { StackConfig, Stage } from '../lib/config.js';
import { outboxFilterPattern, outboxInputTemplate } from '../lib/pipe.js';
import type { PolicyDocument } from '../lib/policies.js';
import { grantsOf, wildcardProblems } from '../lib/policies.js';
import { auditPrefix } from '../lib/storage.js';
import type { RecordedResource } from '../testing/mocks.js';
import { readStackConfig, runMocked, type MockedRun } from '../testing/run.js';
import { expectedEnvironment, expectedGrants } from './expectations.js';
import { describeFirstUp } from './first-up-suite.js';

/** A fixed migration set, so these tests do not depend on the SQL being written now. */
const migrations = [
  { version: '001', name: 'initial', sql: 'CREATE TABLE users (user_id text PRIMARY KEY);' },
];

type Inputs = Readonly<Record<string, unknown>>;
const T = {
  table: 'aws:dynamodb/table:Table',
  bucket: 'aws:s3/bucket:Bucket',
  queue: 'aws:sqs/queue:Queue',
  fn: 'aws:lambda/function:Function',
  role: 'aws:iam/role:Role',
  rolePolicy: 'aws:iam/rolePolicy:RolePolicy',
  logGroup: 'aws:cloudwatch/logGroup:LogGroup',
} as const;

const parse = (value: unknown): PolicyDocument => {
  if (typeof value !== 'string')
    throw new Error(`policy is not JSON text: ${JSON.stringify(value)}`);
  const document = JSON.parse(value) as {
    Statement: { Action: string | string[]; Resource?: string | string[] }[];
  };
  return {
    Version: '2012-10-17',
    Statement: document.Statement.map((statement) => ({
      ...(statement as object),
      Action: ([] as string[]).concat(statement.Action),
      Resource: ([] as string[]).concat(statement.Resource ?? []),
    })) as unknown as PolicyDocument['Statement'],
  };
};

/** Runs the stack with every function wired (handlers are not read under mocks). */
export const describeStack = (
  stack: Stage,
  override?: (config: StackConfig & { stage: Stage }) => StackConfig & { stage: Stage },
): void => {
  describe(`stack ${stack}${override ? ' (overridden config)' : ''}`, () => {
    let run: MockedRun;
    const all = (type: string): RecordedResource[] => run.resources.filter((r) => r.type === type);
    const one = (type: string, name: string): RecordedResource => {
      const found = run.resources.find((r) => r.type === type && r.name === name);
      if (!found) throw new Error(`no ${type} named ${name}`);
      return found;
    };
    const stateOf = (type: string, name: string): Inputs => one(type, name).state;
    const bucketArn = (kind: string): string => String(stateOf(T.bucket, kind)['arn']);

    beforeAll(async () => {
      const base = readStackConfig(stack);
      run = await runMocked({
        stack,
        config: override ? override(base) : base,
        available: allFunctionNames,
        migrations,
      });
    });

    it('declares every component of DESIGN §2', () => {
      for (const kind of ['deposits', 'reports', 'audit'])
        expect(one(T.bucket, kind)).toBeDefined();
      for (const table of tables) expect(one(T.table, table.logicalName)).toBeDefined();
      for (const name of allFunctionNames)
        expect(one(T.fn, name).inputs['name']).toBe(`creditline-${stack}-${name}`);
      const cluster = one('aws:rds/cluster:Cluster', 'aurora').inputs;
      expect(cluster).toMatchObject({
        engine: 'aurora-postgresql',
        engineMode: 'provisioned',
        enableHttpEndpoint: true,
        manageMasterUserPassword: true,
        storageEncrypted: true,
      });
      expect(cluster['serverlessv2ScalingConfiguration']).toMatchObject({
        minCapacity: run.config.auroraMinAcu,
        maxCapacity: run.config.auroraMaxAcu,
      });
      expect(Number(cluster['backupRetentionPeriod'])).toBeGreaterThanOrEqual(7);
      expect(
        one('aws:rds/clusterInstance:ClusterInstance', 'aurora-writer').inputs['instanceClass'],
      ).toBe('db.serverless');
      expect(one('awsx:ec2:Vpc', 'network').inputs['subnetSpecs']).toEqual([
        { type: 'Private', name: 'db', cidrMask: 24 },
      ]);
      expect(one('aws:apigatewayv2/api:Api', 'http').inputs['protocolType']).toBe('HTTP');
      expect(one('aws:cloudwatch/eventBus:EventBus', 'bus')).toBeDefined();
      expect(one('aws:cloudwatch/eventArchive:EventArchive', 'bus')).toBeDefined();
      for (const queue of queues) {
        expect(one(T.queue, queue.logicalName)).toBeDefined();
        expect(one(T.queue, dlqName(queue.logicalName))).toBeDefined();
      }
      expect(
        one('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream', 'audit'),
      ).toBeDefined();
      expect(
        one('aws:scheduler/schedule:Schedule', 'reconciliation').inputs['scheduleExpression'],
      ).toBe(run.config.reconciliationSchedule);
      expect(one('aws:lambda/invocation:Invocation', 'migrate').inputs['triggers']).toEqual({
        migrations: expect.any(String) as string,
        roles:
          'creditline_deposits,creditline_logger,creditline_reconciliation,creditline_validator',
      });
    });

    it('routes the API, the rules, the queues, the outbox and the inbox to the right functions', () => {
      const routes = all('aws:apigatewayv2/route:Route').map((r) => r.inputs);
      expect(routes.map((r) => r['routeKey']).sort()).toEqual([
        'GET /v1/transactions/{id}',
        'GET /v1/transactions/{id}/deliveries',
        'GET /v1/users/{id}/balance',
        'GET /v1/users/{id}/controls',
        'POST /v1/transactions',
        'PUT /v1/users/{id}/controls',
      ]);
      for (const route of routes) expect(route['authorizationType']).toBe('AWS_IAM');
      const stage = one('aws:apigatewayv2/stage:Stage', 'default').inputs;
      expect(stage['defaultRouteSettings']).toMatchObject({
        throttlingRateLimit: run.config.apiThrottling.rateLimit,
        throttlingBurstLimit: run.config.apiThrottling.burstLimit,
      });
      expect(stage['accessLogSettings']).toMatchObject({
        destinationArn: expect.stringContaining(':log-group:/aws/apigateway/') as string,
      });

      for (const rule of rules) {
        expect(
          JSON.parse(
            String(
              one('aws:cloudwatch/eventRule:EventRule', rule.logicalName).inputs['eventPattern'],
            ),
          ),
        ).toEqual(rule.pattern);
        const target = one('aws:cloudwatch/eventTarget:EventTarget', rule.logicalName).inputs;
        const expected =
          rule.target === 'transaction-validator'
            ? stateOf(T.fn, 'transaction-validator')['arn']
            : stateOf(T.queue, rule.target === 'callbacks-queue' ? 'callbacks' : 'transaction-log')[
                'arn'
              ];
        expect(target['arn']).toBe(expected);
        expect(target['deadLetterConfig']).toEqual({ arn: stateOf(T.queue, 'async-dlq')['arn'] });
      }

      const mappings = all('aws:lambda/eventSourceMapping:EventSourceMapping').map((r) => r.inputs);
      expect(mappings).toHaveLength(3);
      const journal = mappings.find(
        (m) => m['eventSourceArn'] === stateOf(T.table, 'CreditCache')['streamArn'],
      );
      // Every change of an account reaches the journal: the balance monitors judge deposits too.
      expect(journal).not.toHaveProperty('filterCriteria');
      expect(journal).toMatchObject({
        functionName: stateOf(T.fn, 'hold-journal')['arn'],
        functionResponseTypes: ['ReportBatchItemFailures'],
        bisectBatchOnFunctionError: true,
        destinationConfig: { onFailure: { destinationArn: stateOf(T.queue, 'async-dlq')['arn'] } },
      });
      for (const [queue, fn] of [
        ['transaction-log', 'transaction-logger'],
        ['callbacks', 'callback-dispatcher'],
      ] as const) {
        const mapping = mappings.find(
          (m) => m['eventSourceArn'] === stateOf(T.queue, queue)['arn'],
        );
        expect(mapping).toMatchObject({
          functionName: stateOf(T.fn, fn)['arn'],
          functionResponseTypes: ['ReportBatchItemFailures'],
        });
      }

      const pipe = one('aws:pipes/pipe:Pipe', 'outbox').inputs;
      expect(pipe['source']).toBe(stateOf(T.table, 'TransactionLog')['streamArn']);
      expect(pipe['target']).toBe(stateOf('aws:cloudwatch/eventBus:EventBus', 'bus')['arn']);
      expect(pipe['sourceParameters']).toMatchObject({
        filterCriteria: { filters: [{ pattern: outboxFilterPattern }] },
      });
      expect((pipe['targetParameters'] as Inputs)['inputTemplate']).toBe(outboxInputTemplate);

      const notification = one(
        'aws:s3/bucketNotification:BucketNotification',
        'deposits-inbox',
      ).inputs;
      expect(notification['lambdaFunctions']).toEqual([
        expect.objectContaining({
          lambdaFunctionArn: stateOf(T.fn, 'deposit-processor')['arn'],
          filterPrefix: 'inbox/',
          events: ['s3:ObjectCreated:*'],
        }),
      ]);
      const schedule = one('aws:scheduler/schedule:Schedule', 'reconciliation').inputs;
      expect(schedule['target']).toMatchObject({ arn: stateOf(T.fn, 'reconciliation')['arn'] });
    });

    it('has no IAM statement with a wildcard action or a * resource', () => {
      const documents: { where: string; document: PolicyDocument }[] = [];
      for (const r of run.resources) {
        // A key policy's Resource is "*" by definition (this key): first-up-suite checks it.
        if (r.type === 'aws:kms/key:Key') continue;
        for (const key of ['policy', 'assumeRolePolicy']) {
          if (typeof r.inputs[key] === 'string')
            documents.push({ where: `${r.type} ${r.name}.${key}`, document: parse(r.inputs[key]) });
        }
      }
      expect(documents.length).toBeGreaterThan(20);
      const problems = documents.flatMap(({ where, document }) =>
        wildcardProblems(document).map((p) => `${where}: ${p}`),
      );
      expect(problems).toEqual([]);
    });

    it('encrypts every table with the data key, with PITR on and deletion protection as configured', () => {
      const keyArn = stateOf('aws:kms/key:Key', 'data')['arn'];
      for (const table of all(T.table)) {
        expect(table.inputs['serverSideEncryption']).toEqual({ enabled: true, kmsKeyArn: keyArn });
        expect(table.inputs['pointInTimeRecovery']).toEqual({ enabled: true });
        expect(table.inputs['billingMode']).toBe('PAY_PER_REQUEST');
        expect(table.inputs['deletionProtectionEnabled']).toBe(stack === 'prod');
      }
      const log = one(T.table, 'TransactionLog').inputs;
      expect(log).toMatchObject({ streamEnabled: true, streamViewType: 'NEW_AND_OLD_IMAGES' });
      const indexes = (log['globalSecondaryIndexes'] as Inputs[]).map((index) => index['name']);
      expect(indexes.sort()).toEqual(['by_user', 'unsettled']);
      expect(one('aws:rds/cluster:Cluster', 'aurora').inputs['deletionProtection']).toBe(
        stack === 'prod',
      );
    });

    it('keeps every bucket encrypted, versioned, private and TLS-only, with lifecycle rules', () => {
      const keyArn = stateOf('aws:kms/key:Key', 'data')['arn'];
      for (const kind of ['deposits', 'reports', 'audit']) {
        const bucket = stateOf(T.bucket, kind)['bucket'];
        expect(
          one(
            'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration',
            kind,
          ).inputs,
        ).toEqual({
          bucket,
          rules: [
            {
              applyServerSideEncryptionByDefault: {
                sseAlgorithm: 'aws:kms',
                kmsMasterKeyId: keyArn,
              },
              bucketKeyEnabled: true,
            },
          ],
        });
        expect(one('aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock', kind).inputs).toEqual({
          bucket,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
        expect(
          one('aws:s3/bucketVersioning:BucketVersioning', kind).inputs['versioningConfiguration'],
        ).toEqual({ status: 'Enabled' });
        const policy = parse(one('aws:s3/bucketPolicy:BucketPolicy', kind).inputs['policy']);
        expect(policy.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Principal: '*',
            Action: ['s3:*'],
            Resource: [bucketArn(kind), `${bucketArn(kind)}/*`],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
        expect(
          (
            one('aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration', kind).inputs[
              'rules'
            ] as unknown[]
          ).length,
        ).toBeGreaterThan(0);
      }
      const audit = one(
        'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream',
        'audit',
      ).inputs;
      const destination = (audit['extendedS3Configuration'] ??
        (audit['redshiftConfiguration'] as Inputs | undefined)?.[
          's3BackupConfiguration'
        ]) as Inputs;
      expect(destination).toMatchObject({
        bucketArn: bucketArn('audit'),
        compressionFormat: 'GZIP',
        prefix: auditPrefix,
        errorOutputPrefix: expect.stringContaining('!{firehose:error-output-type}') as string,
      });
    });

    it('gives every queue a DLQ with the redrive settings of the definitions, and lets only bus rules send', () => {
      for (const queue of all(T.queue)) {
        const name = String(queue.inputs['name']);
        expect(queue.inputs['kmsMasterKeyId']).toBe(stateOf('aws:kms/key:Key', 'data')['arn']);
        if (name.endsWith('-dlq')) continue;
        const definition = queues.find((q) => name === `creditline-${stack}-${q.logicalName}`);
        expect(definition, name).toBeDefined();
        const redrive = JSON.parse(String(queue.inputs['redrivePolicy'])) as {
          deadLetterTargetArn: string;
          maxReceiveCount: number;
        };
        expect(redrive.deadLetterTargetArn).toBe(
          stateOf(T.queue, dlqName(definition?.logicalName ?? ''))['arn'],
        );
        expect(redrive.maxReceiveCount).toBe(definition?.maxReceiveCount);
        expect(queue.inputs['visibilityTimeoutSeconds']).toBe(definition?.visibilityTimeoutSeconds);
      }
      for (const name of ['transaction-log', 'callbacks']) {
        const policy = parse(one('aws:sqs/queuePolicy:QueuePolicy', name).inputs['policy']);
        expect(policy.Statement).toHaveLength(1);
        expect(policy.Statement[0]).toMatchObject({
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['sqs:SendMessage'],
        });
      }
    });

    it('gives every function its own log group with bounded retention, and JSON logs into it', () => {
      for (const name of allFunctionNames) {
        const fn = one(T.fn, name).inputs;
        const group = one(T.logGroup, name).inputs;
        expect(group['retentionInDays']).toBe(run.config.logRetentionDays);
        expect(fn['loggingConfig']).toEqual({ logFormat: 'JSON', logGroup: group['name'] });
        expect(fn).toMatchObject({
          runtime: 'nodejs22.x',
          architectures: ['arm64'],
          handler: 'index.handler',
        });
      }
      for (const group of all(T.logGroup)) {
        expect(group.inputs['retentionInDays'], group.name).toBe(run.config.logRetentionDays);
      }
    });

    it('sets only the environment each function reads', () => {
      for (const name of allFunctionNames) {
        const variables = ((one(T.fn, name).inputs['environment'] as Inputs)['variables'] ??
          {}) as Record<string, string>;
        const own = Object.keys(variables).filter(
          (key) => !key.startsWith('POWERTOOLS_') && key !== 'NODE_OPTIONS',
        );
        expect(own.sort(), name).toEqual([...expectedEnvironment[name]].sort());
        expect(variables).toMatchObject({
          POWERTOOLS_SERVICE_NAME: name,
          POWERTOOLS_METRICS_NAMESPACE: 'creditline',
          POWERTOOLS_LOG_LEVEL: run.config.logLevel,
        });
      }
    });

    describe('each function role reaches exactly the stores its function uses', () => {
      const symbols = (): Map<string, string> => {
        const map = new Map<string, string>();
        const arnOf = (type: string, name: string): string => String(stateOf(type, name)['arn']);
        for (const table of tables) {
          const arn = arnOf(T.table, table.logicalName);
          map.set(arn, `table:${table.logicalName}`);
          if ('stream' in table)
            map.set(
              String(stateOf(T.table, table.logicalName)['streamArn']),
              `stream:${table.logicalName}`,
            );
          for (const index of table.globalIndexes)
            map.set(`${arn}/index/${index.name}`, `table:${table.logicalName}/index/${index.name}`);
        }
        for (const [kind, prefixes] of [
          ['deposits', ['inbox/', 'processed/', 'rejected/']],
          ['reports', ['reports/']],
        ] as const) {
          for (const prefix of prefixes)
            map.set(`${bucketArn(kind)}/${prefix}*`, `bucket:${kind}/${prefix}*`);
        }
        for (const queue of all(T.queue))
          map.set(String(queue.state['arn']), `queue:${queue.name}`);
        map.set(arnOf('aws:rds/cluster:Cluster', 'aurora'), 'aurora');
        const secrets = stateOf('aws:rds/cluster:Cluster', 'aurora')['masterUserSecrets'] as {
          secretArn: string;
        }[];
        map.set(secrets[0]?.secretArn ?? '', 'aurora-secret');
        for (const secret of all('aws:secretsmanager/secret:Secret'))
          if (secret.name.startsWith('db-'))
            map.set(String(secret.state['arn']), `db-secret:${secret.name.slice('db-'.length)}`);
        map.set(arnOf('aws:cloudwatch/eventBus:EventBus', 'bus'), 'bus');
        map.set(
          arnOf('aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream', 'audit'),
          'audit-stream',
        );
        map.set(arnOf('aws:kms/key:Key', 'data'), 'data-key');
        for (const partner of run.config.partners)
          map.set(partner.webhookSecretArn, `partner-secret:${partner.id}`);
        return map;
      };

      it.each(allFunctionNames.map((name) => [name]))('%s', (name: FunctionName) => {
        const map = symbols();
        map.set(`${String(stateOf(T.logGroup, name)['arn'])}:log-stream:*`, 'own-log-group');
        const document = parse(one(T.rolePolicy, name).inputs['policy']);
        const grants = grantsOf(document).map(
          ({ action, resource }) => `${action} ${map.get(resource) ?? `UNKNOWN(${resource})`}`,
        );
        expect(grants.sort()).toEqual(
          [...expectedGrants(run.config.partners.map((p) => p.id))[name]].sort(),
        );
        // Each role is assumable by Lambda only.
        expect(parse(one(T.role, name).inputs['assumeRolePolicy']).Statement).toEqual([
          expect.objectContaining({
            Principal: { Service: 'lambda.amazonaws.com' },
            Action: ['sts:AssumeRole'],
          }),
        ]);
      });
    });

    it('renders a partner mapping that resolves every partner role to its partner and nothing else', () => {
      // The roles the Api component creates, as sessions the IAM authorizer would verify
      const roles = all(T.role).filter((role) => role.name.startsWith('partner-'));
      expect(roles.map((role) => role.name).sort()).toEqual(
        run.config.partners.map((partner) => `partner-${partner.id}`).sort(),
      );
      const account = String(stateOf(T.fn, 'transaction-validator')['arn']).split(':')[4] ?? '';
      for (const name of ['transaction-validator', 'callback-dispatcher'] as const) {
        const variables = (one(T.fn, name).inputs['environment'] as Inputs)['variables'] as Record<
          string,
          string
        >;
        const identity = createPartnerIdentity(
          readConfig(configPieces.partners, { PARTNERS: variables['PARTNERS'] })['PARTNERS'],
        );
        for (const partner of run.config.partners) {
          const role = roles.find((candidate) => candidate.name === `partner-${partner.id}`);
          const session = `arn:aws:sts::${account}:assumed-role/${String(role?.inputs['name'])}/s1`;
          expect(identity.ofHttpCaller({ userArn: session, accountId: account }), name).toEqual({
            ok: true,
            partnerId: partner.id,
          });
          expect(identity.ofEvent(partner.eventSource, partner.accountId), name).toBe(partner.id);
          // Its source from any other account, and its role name in its own account, are nobody's.
          expect(identity.ofEvent(partner.eventSource, account), name).toBeUndefined();
          expect(
            identity.ofHttpCaller({
              userArn: `arn:aws:sts::${partner.accountId}:assumed-role/${String(role?.inputs['name'])}/s1`,
            }).ok,
            name,
          ).toBe(false);
        }
        // creditline's own function roles are no partner.
        for (const fn of allFunctionNames) {
          expect(
            identity.ofHttpCaller({
              userArn: `arn:aws:sts::${account}:assumed-role/creditline-${stack}-${fn}/x`,
            }).ok,
            name,
          ).toBe(false);
        }
      }
    });

    it('lets only the named principals of a partner, with its external id, assume its API role', () => {
      for (const partner of run.config.partners) {
        const trust = parse(one(T.role, `partner-${partner.id}`).inputs['assumeRolePolicy']);
        expect(trust.Statement).toEqual([
          expect.objectContaining({
            Principal: { AWS: `arn:aws:iam::${partner.accountId}:root` },
            Condition: {
              StringEquals: { 'sts:ExternalId': partner.externalId },
              ArnEquals: { 'aws:PrincipalArn': partner.principalArns },
            },
          }),
        ]);
        expect(partner.externalId.length).toBeGreaterThanOrEqual(32);
        expect(partner.externalId).not.toContain(partner.id);
      }
    });

    it("lets each partner's role upload deposit files under its own inbox/<partner_id>/ only", () => {
      const deposits = bucketArn('deposits');
      const inboxes = all(T.rolePolicy).filter((resource) => resource.name.endsWith('-inbox'));
      expect(inboxes.map((resource) => resource.name).sort()).toEqual(
        run.config.partners.map((partner) => `partner-${partner.id}-inbox`).sort(),
      );
      for (const partner of run.config.partners) {
        const document = parse(one(T.rolePolicy, `partner-${partner.id}-inbox`).inputs['policy']);
        const writes = document.Statement.filter((statement) =>
          [statement.Action].flat().some((action) => action.startsWith('s3:')),
        );
        expect(writes).toEqual([
          expect.objectContaining({
            Effect: 'Allow',
            Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
            Resource: [`${deposits}/inbox/${partner.id}/*`],
          }),
        ]);
        // No other partner's prefix, no read, list or delete of the bucket.
        const text = JSON.stringify(document);
        for (const other of run.config.partners.filter((candidate) => candidate.id !== partner.id))
          expect(text).not.toContain(`inbox/${other.id}/`);
        expect(text).not.toMatch(/s3:(GetObject|ListBucket|DeleteObject)/);
      }
    });

    it('limits who may put TransactionRequested on the bus to each partner, under its own source', () => {
      const policy = parse(
        one('aws:cloudwatch/eventBusPolicy:EventBusPolicy', 'bus').inputs['policy'],
      );
      expect(policy.Statement).toHaveLength(run.config.partners.length);
      for (const partner of run.config.partners) {
        expect(policy.Statement).toContainEqual(
          expect.objectContaining({
            Principal: { AWS: `arn:aws:iam::${partner.accountId}:root` },
            Action: ['events:PutEvents'],
            Condition: {
              StringEquals: {
                'events:source': partner.eventSource,
                'events:detail-type': 'TransactionRequested',
              },
            },
          }),
        );
      }
    });

    it('alarms on function errors, every DLQ, decision latency, drift and audit delivery, to the alarm e-mail', () => {
      const alarms = all('aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.name);
      for (const name of appFunctionNames) expect(alarms).toContain(`${name}-errors`);
      for (const dlq of ['transaction-log-dlq', 'callbacks-dlq', 'async-dlq', 'outbox-dlq'])
        expect(alarms).toContain(`${dlq}-depth`);
      expect(alarms).toEqual(
        expect.arrayContaining([
          'decision-latency-p99',
          'reconciliation-drift',
          'audit-delivery-failures',
        ]),
      );
      expect(
        one('aws:cloudwatch/metricAlarm:MetricAlarm', 'decision-latency-p99').inputs,
      ).toMatchObject({
        namespace: 'creditline',
        metricName: 'DecisionLatency',
        extendedStatistic: 'p99',
      });
      expect(
        one('aws:cloudwatch/metricAlarm:MetricAlarm', 'reconciliation-drift').inputs,
      ).toMatchObject({ metricName: 'DriftAmount', threshold: 0 });
      expect(
        one('aws:sns/topicSubscription:TopicSubscription', 'alarms-email').inputs,
      ).toMatchObject({ protocol: 'email', endpoint: run.config.alarmEmail });
      expect(one('aws:cloudwatch/dashboard:Dashboard', 'overview')).toBeDefined();
    });

    describeFirstUp(stack, () => run);

    it('exports the API URL, bus name, bucket names and dashboard URL', () => {
      expect(run.outputs).toMatchObject({
        apiUrl: expect.stringMatching(/^https:\/\//) as string,
        busName: `creditline-${stack}-bus`,
        bucketNames: {
          deposits: expect.any(String) as string,
          reports: expect.any(String) as string,
          audit: expect.any(String) as string,
        },
        dashboardUrl: expect.stringContaining('#dashboards:name=') as string,
        functionsNotDeployed: [],
      });
    });
  });
};
