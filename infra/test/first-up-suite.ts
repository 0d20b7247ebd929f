import { describe, expect, it } from 'vitest';
import { envNames } from '@creditline/adapters/config/env';
import { tables } from '@creditline/adapters/definitions';
import { finalSnapshotIdentifier } from '../components/database.js';
import { appFunctionNames, functionSpecs, type FunctionName } from '../lib/catalog.js';
import { visibilityProblems } from '../lib/consumers.js';
import { databaseRoles, databaseUsers, roleSecretsVariable } from '../lib/database-roles.js';
import { naming } from '../lib/naming.js';
import {
  firehoseForceNewInputs,
  pipeForceNewInputs,
  replaceSafeName,
  tableForceNewInputs,
} from '../lib/replace-safe.js';
import type { RecordedResource } from '../testing/mocks.js';
import { mockDeployTime as pinnedDeployTime, type MockedRun } from '../testing/run.js';

type Inputs = Readonly<Record<string, unknown>>;

/**
 * Where each kind of resource that stores data names its key. Every resource type the program
 * declares is either here or in `holdsNoData`, so a new store that forgets the key fails.
 */
const keyOf: Readonly<Record<string, (inputs: Inputs) => unknown>> = {
  'aws:dynamodb/table:Table': (i) =>
    (i['serverSideEncryption'] as Inputs | undefined)?.['kmsKeyArn'],
  'aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration': (i) =>
    (
      (i['rules'] as Inputs[] | undefined)?.[0]?.['applyServerSideEncryptionByDefault'] as
        Inputs | undefined
    )?.['kmsMasterKeyId'],
  'aws:sqs/queue:Queue': (i) => i['kmsMasterKeyId'],
  'aws:cloudwatch/eventBus:EventBus': (i) => i['kmsKeyIdentifier'],
  'aws:cloudwatch/eventArchive:EventArchive': (i) => i['kmsKeyIdentifier'],
  'aws:cloudwatch/logGroup:LogGroup': (i) => i['kmsKeyId'],
  'aws:sns/topic:Topic': (i) => i['kmsMasterKeyId'],
  'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream': (i) => {
    const sse = i['serverSideEncryption'] as Inputs | undefined;
    return sse?.['keyType'] === 'CUSTOMER_MANAGED_CMK' ? sse['keyArn'] : undefined;
  },
  'aws:secretsmanager/secret:Secret': (i) => i['kmsKeyId'],
  'aws:rds/cluster:Cluster': (i) =>
    i['kmsKeyId'] === i['masterUserSecretKmsKeyId'] ? i['kmsKeyId'] : undefined,
  'aws:rds/clusterInstance:ClusterInstance': (i) => i['performanceInsightsKmsKeyId'],
};

/** Declared resources that hold no data of their own (config, wiring, identity, compute). */
const holdsNoData = new Set([
  'aws:kms/key:Key',
  'aws:kms/alias:Alias',
  'aws:s3/bucket:Bucket', // its objects: the encryption configuration above
  'aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock',
  'aws:s3/bucketOwnershipControls:BucketOwnershipControls',
  'aws:s3/bucketVersioning:BucketVersioning',
  'aws:s3/bucketPolicy:BucketPolicy',
  'aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration',
  'aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration',
  'aws:s3/bucketNotification:BucketNotification',
  'aws:sqs/redriveAllowPolicy:RedriveAllowPolicy',
  'aws:sqs/queuePolicy:QueuePolicy',
  'aws:cloudwatch/eventBusPolicy:EventBusPolicy',
  'aws:cloudwatch/eventRule:EventRule',
  'aws:cloudwatch/eventTarget:EventTarget',
  'aws:cloudwatch/logStream:LogStream',
  'aws:cloudwatch/metricAlarm:MetricAlarm',
  'aws:cloudwatch/dashboard:Dashboard',
  'aws:sns/topicSubscription:TopicSubscription',
  'aws:iam/role:Role',
  'aws:iam/rolePolicy:RolePolicy',
  'aws:lambda/function:Function', // environment holds names and ARNs only, never secrets
  'aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig',
  'aws:lambda/eventSourceMapping:EventSourceMapping',
  'aws:lambda/permission:Permission',
  'aws:lambda/invocation:Invocation',
  'aws:pipes/pipe:Pipe',
  'aws:scheduler/schedule:Schedule',
  'aws:apigatewayv2/api:Api',
  'aws:apigatewayv2/stage:Stage',
  'aws:apigatewayv2/integration:Integration',
  'aws:apigatewayv2/route:Route',
  'aws:rds/subnetGroup:SubnetGroup',
  'aws:ec2/securityGroup:SecurityGroup',
  'awsx:ec2:Vpc',
  'pulumi:providers:aws',
]);

/** Everything a resource depends on, directly or through others. */
const dependencyClosure = (run: MockedRun, start: RecordedResource): Set<string> => {
  const byKey = new Map(run.resources.map((r) => [`${r.type}::${r.name}`, r]));
  const seen = new Set<string>();
  const stack = [...start.options.dependsOn];
  while (stack.length > 0) {
    const key = stack.pop() as string;
    if (seen.has(key)) continue;
    seen.add(key);
    const next = byKey.get(key);
    if (next?.custom) stack.push(...next.options.dependsOn);
  }
  return seen;
};

/** The findings of issue 12 ("a first `pulumi up` that works and stays up"), one test each. */
export const describeFirstUp = (stack: string, getRun: () => MockedRun): void => {
  describe('a first pulumi up that works and stays up', () => {
    const all = (type: string): RecordedResource[] =>
      getRun().resources.filter((r) => r.type === type);
    const one = (type: string, name: string): RecordedResource => {
      const found = getRun().resources.find((r) => r.type === type && r.name === name);
      if (!found) throw new Error(`no ${type} named ${name}`);
      return found;
    };
    const keyArn = (): unknown => one('aws:kms/key:Key', 'data').state['arn'];
    const prod = stack === 'prod';

    it('puts every store on the customer-managed key, and knows every resource type it declares', () => {
      const problems: string[] = [];
      for (const resource of getRun().resources) {
        const key = keyOf[resource.type];
        if (key) {
          if (key(resource.inputs) !== keyArn())
            problems.push(`${resource.type} ${resource.name}: not on the data key`);
        } else if (resource.custom && !holdsNoData.has(resource.type))
          problems.push(`${resource.type} ${resource.name}: a type this test does not know`);
      }
      expect(problems).toEqual([]);
      expect(all('aws:cloudwatch/logGroup:LogGroup').length).toBeGreaterThanOrEqual(10);
    });

    it('protects the key where data is protected, and lets only the services that need it use it', () => {
      const key = one('aws:kms/key:Key', 'data');
      expect(key.options.protect).toBe(prod);
      const statements = (JSON.parse(String(key.inputs['policy'])) as { Statement: Inputs[] })
        .Statement;
      const principals = statements.map((s) => JSON.stringify(s['Principal']));
      expect(principals).toEqual([
        JSON.stringify({ AWS: 'arn:aws:iam::111122223333:root' }),
        JSON.stringify({ Service: `logs.${getRun().config.region}.amazonaws.com` }),
        JSON.stringify({ Service: 'events.amazonaws.com' }),
        JSON.stringify({ Service: 'cloudwatch.amazonaws.com' }),
      ]);
      // Each service statement is confined to this account.
      for (const statement of statements.slice(1))
        expect(JSON.stringify(statement['Condition'])).toContain('111122223333');
    });

    it('asks Aurora for the major version only, so an AWS minor upgrade plans no downgrade', () => {
      const cluster = one('aws:rds/cluster:Cluster', 'aurora').inputs;
      expect(cluster['engineVersion']).toMatch(/^\d+$/);
      expect(cluster['allowMajorVersionUpgrade']).toBe(false);
      for (const instance of all('aws:rds/clusterInstance:ClusterInstance')) {
        expect(instance.inputs['engineVersion']).toBe(cluster['engineVersion']);
        expect(instance.inputs['autoMinorVersionUpgrade']).toBe(true);
      }
    });

    it(prod ? 'gives prod a reader to fail over to' : 'runs dev on a writer alone', () => {
      const instances = all('aws:rds/clusterInstance:ClusterInstance');
      expect(instances.map((i) => [i.name, i.inputs['promotionTier']]).sort()).toEqual(
        prod
          ? [
              ['aurora-reader-1', 1],
              ['aurora-writer', 0],
            ]
          : [['aurora-writer', 0]],
      );
    });

    it('creates the Aurora log group itself, before the cluster, with bounded retention', () => {
      const cluster = one('aws:rds/cluster:Cluster', 'aurora');
      const group = one('aws:cloudwatch/logGroup:LogGroup', 'aurora-postgresql');
      expect(group.inputs).toMatchObject({
        name: `/aws/rds/cluster/${String(cluster.inputs['clusterIdentifier'])}/postgresql`,
        retentionInDays: getRun().config.logRetentionDays,
      });
      expect(cluster.options.dependsOn).toContain(
        'aws:cloudwatch/logGroup:LogGroup::aurora-postgresql',
      );
    });

    it('names the final snapshot per cluster (not a static name), fixed once the cluster exists', () => {
      const cluster = one('aws:rds/cluster:Cluster', 'aurora');
      expect(cluster.options.ignoreChanges).toContain('finalSnapshotIdentifier');
      if (prod) {
        expect(cluster.inputs['finalSnapshotIdentifier']).toBe(
          'creditline-prod-aurora-final-20260115t0830',
        );
        expect(cluster.inputs['skipFinalSnapshot']).toBe(false);
      } else expect(cluster.inputs['skipFinalSnapshot']).toBe(true);
      const n = naming('creditline', 'prod');
      expect(finalSnapshotIdentifier(n, new Date('2027-03-01T00:00:00Z'))).not.toBe(
        finalSnapshotIdentifier(n, pinnedDeployTime),
      );
    });

    it('keeps the audit bucket write-once under Object Lock for the audit retention', () => {
      expect(one('aws:s3/bucket:Bucket', 'audit').inputs['objectLockEnabled']).toBe(true);
      expect(one('aws:s3/bucket:Bucket', 'deposits').inputs['objectLockEnabled']).toBeUndefined();
      expect(
        one('aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration', 'audit').inputs[
          'rule'
        ],
      ).toEqual({
        defaultRetention: {
          mode: prod ? 'COMPLIANCE' : 'GOVERNANCE',
          days: getRun().config.auditRetentionDays,
        },
      });
    });

    it('logs the Pipe’s failures to a log group of its own', () => {
      const pipe = one('aws:pipes/pipe:Pipe', 'outbox').inputs;
      expect(pipe['logConfiguration']).toEqual({
        level: 'ERROR',
        cloudwatchLogsLogDestination: {
          logGroupArn: one('aws:cloudwatch/logGroup:LogGroup', 'outbox-pipe').state['arn'],
        },
      });
    });

    it('alarms on throttles, the oldest message of each queue, Pipe failures and Aurora capacity', () => {
      const alarm = (name: string): Inputs =>
        one('aws:cloudwatch/metricAlarm:MetricAlarm', name).inputs;
      for (const name of [...appFunctionNames, 'migrator'])
        expect(alarm(`${name}-throttles`)).toMatchObject({
          namespace: 'AWS/Lambda',
          metricName: 'Throttles',
          threshold: 0,
        });
      for (const queue of ['transaction-log', 'callbacks'])
        expect(alarm(`${queue}-oldest-message`)).toMatchObject({
          metricName: 'ApproximateAgeOfOldestMessage',
          dimensions: { QueueName: `creditline-${stack}-${queue}` },
        });
      const pipeName = one('aws:pipes/pipe:Pipe', 'outbox').inputs['name'];
      for (const name of ['outbox-pipe-execution-failures', 'outbox-pipe-target-failures'])
        expect(alarm(name)).toMatchObject({
          namespace: 'AWS/EventBridge/Pipes',
          dimensions: { PipeName: pipeName },
        });
      expect(alarm('aurora-capacity')).toMatchObject({
        namespace: 'AWS/RDS',
        metricName: 'ServerlessDatabaseCapacity',
        dimensions: { DBClusterIdentifier: `creditline-${stack}-aurora` },
        threshold: getRun().config.auroraMaxAcu * 0.9,
      });
    });

    it('runs the migration before any application code, trigger or API goes live', () => {
      const migrate = 'aws:lambda/invocation:Invocation::migrate';
      const application = [
        ...all('aws:lambda/function:Function').filter((fn) => fn.name !== 'migrator'),
        ...all('aws:lambda/eventSourceMapping:EventSourceMapping'),
        ...all('aws:apigatewayv2/integration:Integration'),
        ...all('aws:apigatewayv2/route:Route'),
        ...all('aws:s3/bucketNotification:BucketNotification'),
        ...all('aws:scheduler/schedule:Schedule'),
        ...all('aws:cloudwatch/eventTarget:EventTarget').filter((t) =>
          String(t.inputs['arn']).includes(':function:'),
        ),
      ];
      expect(application.length).toBeGreaterThanOrEqual(appFunctionNames.length + 8);
      const early = application
        .filter((r) => !dependencyClosure(getRun(), r).has(migrate))
        .map((r) => `${r.type} ${r.name}`);
      expect(early).toEqual([]);
      expect(
        dependencyClosure(getRun(), one('aws:lambda/function:Function', 'migrator')).has(migrate),
      ).toBe(false);
    });

    it('names what a replacement would collide with after its force-new inputs', () => {
      for (const definition of tables) {
        const table = one('aws:dynamodb/table:Table', definition.logicalName).inputs;
        expect(table['name']).toBe(
          replaceSafeName(
            `creditline-${stack}-${definition.logicalName}`,
            tableForceNewInputs({
              partitionKey: { name: String(table['hashKey']), type: definition.partitionKey.type },
            }),
          ),
        );
      }
      const stream = one(
        'aws:kinesis/firehoseDeliveryStream:FirehoseDeliveryStream',
        'audit',
      ).inputs;
      expect(stream['name']).toBe(
        replaceSafeName(
          `creditline-${stack}-audit`,
          firehoseForceNewInputs(String(stream['destination'])),
        ),
      );
      const pipe = one('aws:pipes/pipe:Pipe', 'outbox').inputs;
      expect(pipe['name']).toBe(
        replaceSafeName(`creditline-${stack}-outbox`, pipeForceNewInputs(String(pipe['source']))),
      );
    });

    it('gives every SQS mapping a queue visibility of at least 6 × its function timeout plus its window', () => {
      const queues = all('aws:sqs/queue:Queue');
      const functions = all('aws:lambda/function:Function');
      const consumers = all('aws:lambda/eventSourceMapping:EventSourceMapping').flatMap(
        (mapping) => {
          const queue = queues.find((q) => q.state['arn'] === mapping.inputs['eventSourceArn']);
          if (!queue) return []; // a stream mapping: no visibility timeout
          const fn = functions.find((f) => f.state['arn'] === mapping.inputs['functionName']);
          return [
            {
              queue: queue.name,
              visibilityTimeoutSeconds: Number(queue.inputs['visibilityTimeoutSeconds']),
              maximumBatchingWindowSeconds: Number(
                mapping.inputs['maximumBatchingWindowInSeconds'] ?? 0,
              ),
              functionName: fn?.name ?? 'unknown',
              functionTimeoutSeconds: Number(fn?.inputs['timeout']),
            },
          ];
        },
      );
      expect(consumers.length).toBeGreaterThanOrEqual(2);
      expect(visibilityProblems(consumers)).toEqual([]);
    });

    it('reserves no concurrency (the default quota refuses it); consumers cap theirs on the mapping', () => {
      for (const fn of all('aws:lambda/function:Function'))
        expect(fn.inputs['reservedConcurrentExecutions'], fn.name).toBeUndefined();
      // SQS mappings cap their concurrency; a stream mapping (the hold journal) has one batch per shard.
      for (const mapping of all('aws:lambda/eventSourceMapping:EventSourceMapping').filter(
        (m) => m.inputs['startingPosition'] === undefined,
      ))
        expect(
          (mapping.inputs['scalingConfig'] as Inputs | undefined)?.['maximumConcurrency'],
        ).toBeGreaterThanOrEqual(2);
      for (const name of Object.keys(functionSpecs) as FunctionName[])
        expect(one('aws:lambda/function:Function', name).inputs['timeout']).toBe(
          functionSpecs[name].timeoutSeconds,
        );
    });

    it('lets each function work as its own database role; only the migrator holds the master secret', () => {
      const envOf = (name: string): Record<string, string> =>
        ((one('aws:lambda/function:Function', name).inputs['environment'] as Inputs)['variables'] ??
          {}) as Record<string, string>;
      const master = (
        one('aws:rds/cluster:Cluster', 'aurora').state['masterUserSecrets'] as {
          secretArn: string;
        }[]
      )[0]?.secretArn;
      expect(envOf('migrator')[envNames.dbSecretArn]).toBe(master);
      const roleSecrets = JSON.parse(envOf('migrator')[roleSecretsVariable] ?? '{}') as Record<
        string,
        string
      >;
      for (const user of databaseUsers) {
        const secret = one('aws:secretsmanager/secret:Secret', `db-${user}`);
        expect(envOf(user)[envNames.dbSecretArn], user).toBe(secret.state['arn']);
        expect(envOf(user)[envNames.dbSecretArn], user).not.toBe(master);
        expect(roleSecrets[databaseRoles[user].role]).toBe(secret.state['arn']);
        // No password in the program: the migrator makes it.
        expect(all('aws:secretsmanager/secretVersion:SecretVersion')).toEqual([]);
      }
      expect(databaseRoles['transaction-validator'].access).toBe('read');
    });
  });
};
