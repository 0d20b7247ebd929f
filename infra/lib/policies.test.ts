import { describe, expect, it } from 'vitest';
import { allFunctionNames } from './catalog.js';
import {
  busPolicy,
  functionPolicy,
  grantsOf,
  pipeRolePolicy,
  queueFromRulesPolicy,
  tlsOnlyBucketPolicy,
  toJson,
  assumeRolePolicy,
  wildcardProblems,
  type StoreArns,
} from './policies.js';

const arns: StoreArns = {
  region: 'eu-west-1',
  dataKey: 'arn:aws:kms:eu-west-1:1:key/k',
  tables: {
    creditCache: 'arn:t/CreditCache',
    depositEvents: 'arn:t/DepositEvents',
    transactionLog: 'arn:t/TransactionLog',
    webhooks: 'arn:t/Webhooks',
  },
  streams: { creditCache: 'arn:t/CreditCache/stream/2026-01-01T00:00:00.000' },
  buckets: { deposits: 'arn:aws:s3:::deposits', reports: 'arn:aws:s3:::reports' },
  cluster: 'arn:cluster',
  dbSecret: 'arn:secret',
  dbRoleSecrets: {
    'transaction-validator': 'arn:secret/validator',
    'deposit-processor': 'arn:secret/deposits',
    'transaction-logger': 'arn:secret/logger',
    reconciliation: 'arn:secret/reconciliation',
  },
  bus: 'arn:bus',
  auditStream: 'arn:firehose',
  queues: {
    transactionLog: 'arn:q/tl',
    callbacks: 'arn:q/cb',

    callbacksDlq: 'arn:q/cb-dlq',
    asyncFailures: 'arn:q/async',
  },
  partnerSecrets: ['arn:partner-secret-1'],
};

describe('policy documents', () => {
  it.each(allFunctionNames.map((name) => [name]))(
    '%s: no wildcard action, no * resource, logs only to its own group',
    (name) => {
      const document = functionPolicy(name, arns, 'arn:lg');
      expect(wildcardProblems(document)).toEqual([]);
      const logs = grantsOf(document).filter((grant) => grant.action.startsWith('logs:'));
      expect(logs).toEqual([
        { action: 'logs:CreateLogStream', resource: 'arn:lg:log-stream:*' },
        { action: 'logs:PutLogEvents', resource: 'arn:lg:log-stream:*' },
      ]);
    },
  );

  it('scopes KMS use to the services a function reaches the key through', () => {
    const statement = functionPolicy('transaction-logger', arns, 'arn:lg').Statement.find(
      (s) => s.Sid === 'DataKey',
    );
    expect(statement?.Condition).toEqual({
      StringEquals: {
        'kms:ViaService': [
          'dynamodb.eu-west-1.amazonaws.com',
          'secretsmanager.eu-west-1.amazonaws.com',
          'sqs.eu-west-1.amazonaws.com',
        ],
      },
    });
  });

  it('gives each function the Data API with its own role secret only, and the master secret to the migrator alone', () => {
    const secretGrants = (name: (typeof allFunctionNames)[number]) =>
      grantsOf(functionPolicy(name, arns, 'arn:lg'))
        .filter((g) => g.action.startsWith('secretsmanager:'))
        .map((g) => `${g.action} ${g.resource}`);
    expect(secretGrants('transaction-validator')).toEqual([
      'secretsmanager:GetSecretValue arn:secret/validator',
    ]);
    expect(secretGrants('transaction-logger')).toEqual([
      'secretsmanager:GetSecretValue arn:secret/logger',
    ]);
    for (const name of allFunctionNames.filter((n) => n !== 'migrator'))
      expect(secretGrants(name)).not.toContain('secretsmanager:GetSecretValue arn:secret');
    expect(secretGrants('migrator')).toEqual(
      expect.arrayContaining([
        'secretsmanager:GetSecretValue arn:secret',
        'secretsmanager:PutSecretValue arn:secret/validator',
        'secretsmanager:PutSecretValue arn:secret/reconciliation',
      ]),
    );
  });

  it('lets the dispatcher read only the partner webhook secrets, and none when there is no partner', () => {
    const grants = grantsOf(functionPolicy('callback-dispatcher', arns, 'arn:lg')).filter(
      (g) => g.action === 'secretsmanager:GetSecretValue',
    );
    expect(grants).toEqual([
      { action: 'secretsmanager:GetSecretValue', resource: 'arn:partner-secret-1' },
    ]);
    const none = functionPolicy('callback-dispatcher', { ...arns, partnerSecrets: [] }, 'arn:lg');
    expect(grantsOf(none).some((g) => g.action.startsWith('secretsmanager:'))).toBe(false);
  });

  it('limits PutEvents to the sources a function publishes', () => {
    const deposit = functionPolicy('deposit-processor', arns, 'arn:lg').Statement.find(
      (s) => s.Sid === 'PutEvents',
    );
    expect(deposit?.Condition).toEqual({
      StringEquals: { 'events:source': ['creditline.deposits'] },
    });
  });

  it('denies non-TLS access to a bucket and its objects', () => {
    expect(tlsOnlyBucketPolicy('arn:aws:s3:::b').Statement).toEqual([
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: ['s3:*'],
        Resource: ['arn:aws:s3:::b', 'arn:aws:s3:::b/*'],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ]);
    // A Deny may use s3:*: only Allow statements count as grants.
    expect(wildcardProblems(tlsOnlyBucketPolicy('arn:aws:s3:::b'))).toEqual([]);
  });

  it('lets only the named rules send to a queue', () => {
    const document = queueFromRulesPolicy('arn:q', ['arn:rule/b', 'arn:rule/a']);
    expect(document.Statement[0]?.Condition).toEqual({
      ArnEquals: { 'aws:SourceArn': ['arn:rule/a', 'arn:rule/b'] },
    });
  });

  it('lets each partner put TransactionRequested under its own source only', () => {
    const document = busPolicy(
      'arn:bus',
      [{ id: 'acme-bank', accountId: '123456789012', eventSource: 'partner.acme-bank' }],
      'TransactionRequested',
    );
    expect(document.Statement).toEqual([
      expect.objectContaining({
        Principal: { AWS: 'arn:aws:iam::123456789012:root' },
        Action: ['events:PutEvents'],
        Resource: ['arn:bus'],
        Condition: {
          StringEquals: {
            'events:source': 'partner.acme-bank',
            'events:detail-type': 'TransactionRequested',
          },
        },
      }),
    ]);
  });

  it('reads the outbox stream without a * resource', () => {
    const document = pipeRolePolicy({
      streamArn: 'arn:t/stream/1',
      tableArn: 'arn:t',
      busArn: 'arn:bus',
      dlqArn: 'arn:dlq',
      keyArn: 'arn:key',
      region: 'eu-west-1',
      logGroupArn: 'arn:lg',
    });
    expect(wildcardProblems(document)).toEqual([]);
    expect(grantsOf(document)).toContainEqual({
      action: 'logs:PutLogEvents',
      resource: 'arn:lg:log-stream:*',
    });
    expect(grantsOf(document)).toContainEqual({
      action: 'dynamodb:ListStreams',
      resource: 'arn:t/stream/*',
    });
  });

  it('flags wildcards', () => {
    const bad = {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'X', Effect: 'Allow', Action: ['s3:*', 'dynamodb:Get*'], Resource: ['*'] },
      ],
    } as const;
    expect(wildcardProblems(bad)).toEqual([
      'X: wildcard action s3:*',
      'X: wildcard action dynamodb:Get*',
      'X: resource *',
    ]);
  });

  it('serialises trust policies without an empty Resource', () => {
    expect(JSON.parse(toJson(assumeRolePolicy('lambda.amazonaws.com')))).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: ['sts:AssumeRole'],
        },
      ],
    });
  });
});
