import { eventSources } from '@creditline/adapters/definitions';
import type { FunctionName } from './catalog.js';
import type { DatabaseUser } from './database-roles.js';

/**
 * IAM and resource policy documents as pure functions of ARNs (plain strings), so each one
 * is unit tested alone and the components only resolve the ARNs and serialise.
 */
export type ConditionBlock = Readonly<
  Record<string, Readonly<Record<string, string | readonly string[]>>>
>;

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Principal?: '*' | Readonly<Record<string, string | readonly string[]>>;
  readonly Action: readonly string[];
  readonly Resource: readonly string[];
  readonly Condition?: ConditionBlock;
}

export interface PolicyDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly PolicyStatement[];
}

export const policy = (...statements: readonly PolicyStatement[]): PolicyDocument => ({
  Version: '2012-10-17',
  Statement: statements,
});

const allow = (
  sid: string,
  actions: readonly string[],
  resources: readonly string[],
  condition?: ConditionBlock,
): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Action: [...actions].sort(),
  Resource: [...resources].sort(),
  ...(condition ? { Condition: condition } : {}),
});

/** The ARNs a function policy can point at. */
export interface StoreArns {
  readonly region: string;
  readonly dataKey: string;
  readonly tables: {
    readonly creditCache: string;
    readonly depositEvents: string;
    readonly transactionLog: string;
    readonly webhooks: string;
  };
  /** Stream ARNs: the CreditCache stream is the journal of holds. */
  readonly streams: { readonly creditCache: string };
  readonly buckets: { readonly deposits: string; readonly reports: string };
  readonly cluster: string;
  /** The Aurora master secret: the migrator's alone. */
  readonly dbSecret: string;
  /** Each database user's own role secret (`database-roles.ts`). */
  readonly dbRoleSecrets: Readonly<Record<DatabaseUser, string>>;
  readonly bus: string;
  readonly auditStream: string;
  readonly queues: {
    readonly transactionLog: string;
    readonly callbacks: string;
    readonly callbacksDlq: string;
    readonly asyncFailures: string;
  };
  readonly partnerSecrets: readonly string[];
}

export const sqsConsumerActions = [
  'sqs:ChangeMessageVisibility',
  'sqs:DeleteMessage',
  'sqs:GetQueueAttributes',
  'sqs:ReceiveMessage',
];
export const dataApiActions = [
  'rds-data:BeginTransaction',
  'rds-data:CommitTransaction',
  'rds-data:ExecuteStatement',
  'rds-data:RollbackTransaction',
];

/** The Data API as the function's own database role (the Data API reads the secret as the caller). */
const dataApi = (arns: StoreArns, user: DatabaseUser): PolicyStatement[] => [
  allow('AuroraDataApi', dataApiActions, [arns.cluster]),
  allow('AuroraRoleSecret', ['secretsmanager:GetSecretValue'], [arns.dbRoleSecrets[user]]),
];

/**
 * Every store is encrypted with the data key: reads decrypt, writes need a data key, each only
 * through the services the function uses (queues: SQS; the role secret: Secrets Manager).
 */
const dataKey = (
  arns: StoreArns,
  services: readonly ('dynamodb' | 's3' | 'sqs' | 'secretsmanager')[],
): PolicyStatement =>
  allow('DataKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [arns.dataKey], {
    StringEquals: {
      'kms:ViaService': services.map((service) => `${service}.${arns.region}.amazonaws.com`).sort(),
    },
  });

const logs = (logGroupArn: string): PolicyStatement =>
  allow(
    'OwnLogGroup',
    ['logs:CreateLogStream', 'logs:PutLogEvents'],
    [`${logGroupArn}:log-stream:*`],
  );

const asyncFailures = (arns: StoreArns): PolicyStatement =>
  allow('AsyncFailureDestination', ['sqs:SendMessage'], [arns.queues.asyncFailures]);

const putEvents = (arns: StoreArns, sources: readonly string[]): PolicyStatement =>
  allow('PutEvents', ['events:PutEvents'], [arns.bus], {
    StringEquals: { 'events:source': [...sources].sort() },
  });

/**
 * Least privilege per function: exactly the actions on exactly the stores the function uses.
 * Transactions (TransactWriteItems) need the per-item actions, not an action of their own.
 */
export const functionPolicy = (
  name: FunctionName,
  arns: StoreArns,
  logGroupArn: string,
): PolicyDocument => {
  const t = arns.tables;
  switch (name) {
    case 'transaction-validator':
      // Reads the cache, seeds it (conditional Put), holds on it (one conditional UpdateItem);
      // claims the transaction (conditional Put), takes it over / finalizes it (UpdateItem),
      // reads it (GetItem) for replays and concurrent duplicates.
      return policy(
        logs(logGroupArn),
        allow(
          'CreditCache',
          ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          [t.creditCache],
        ),
        allow(
          'TransactionLog',
          ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          [t.transactionLog],
        ),
        // GET /v1/transactions/{id}/deliveries reads the partner's delivery item.
        allow('WebhookDeliveries', ['dynamodb:GetItem'], [t.webhooks]),
        dataKey(arns, ['dynamodb', 'secretsmanager', 'sqs']),
        ...dataApi(arns, name),
        // ControlsChanged after a controls PUT.
        putEvents(arns, [eventSources.controls]),
        asyncFailures(arns),
      );
    case 'hold-journal':
      // Reads the CreditCache stream (its event source mapping, under this role); finalizes a
      // claim (UpdateItem) after reading it (GetItem); a release is one TransactWriteItems of an
      // Update on each table. Records it cannot process go to the async-failures queue.
      return policy(
        logs(logGroupArn),
        allow(
          'ReadJournal',
          [
            'dynamodb:DescribeStream',
            'dynamodb:GetRecords',
            'dynamodb:GetShardIterator',
            'dynamodb:ListStreams',
          ],
          [arns.streams.creditCache],
        ),
        allow('TransactionLog', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [t.transactionLog]),
        allow('CreditCache', ['dynamodb:UpdateItem'], [t.creditCache]),
        dataKey(arns, ['dynamodb', 'sqs']),
        // BalanceLow / BalanceRestored, judged from each change of an account.
        putEvents(arns, [eventSources.controls]),
        asyncFailures(arns),
      );
    case 'deposit-processor':
      return policy(
        logs(logGroupArn),
        allow('ReadInbox', ['s3:GetObject'], [`${arns.buckets.deposits}/inbox/*`]),
        // Results are streamed (multipart, aborted on failure); a stale errors report is removed
        // when a re-run of the file has none.
        allow(
          'WriteResults',
          ['s3:AbortMultipartUpload', 's3:PutObject'],
          [`${arns.buckets.deposits}/processed/*`, `${arns.buckets.deposits}/rejected/*`],
        ),
        allow('RemoveStaleErrors', ['s3:DeleteObject'], [`${arns.buckets.deposits}/rejected/*`]),
        allow('DepositEvents', ['dynamodb:PutItem'], [t.depositEvents]),
        allow('CreditCache', ['dynamodb:UpdateItem'], [t.creditCache]),
        dataKey(arns, ['dynamodb', 's3', 'secretsmanager', 'sqs']),
        ...dataApi(arns, name),
        putEvents(arns, [eventSources.deposits]),
        asyncFailures(arns),
      );
    case 'transaction-logger':
      return policy(
        logs(logGroupArn),
        allow('ConsumeQueue', sqsConsumerActions, [arns.queues.transactionLog]),
        allow('TransactionLog', ['dynamodb:UpdateItem'], [t.transactionLog]),
        dataKey(arns, ['dynamodb', 'secretsmanager', 'sqs']),
        ...dataApi(arns, name),
        allow('AuditStream', ['firehose:PutRecordBatch'], [arns.auditStream]),
      );
    case 'callback-dispatcher':
      return policy(
        logs(logGroupArn),
        allow('ConsumeQueue', sqsConsumerActions, [arns.queues.callbacks]),
        // Retries are new messages on the same queue, delayed (chained up to 15 min each).
        allow('ScheduleRetries', ['sqs:SendMessage'], [arns.queues.callbacks]),
        allow('TransactionLog', ['dynamodb:GetItem', 'dynamodb:UpdateItem'], [t.transactionLog]),
        allow(
          'WebhookState',
          ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
          [t.webhooks],
        ),
        dataKey(arns, ['dynamodb', 'sqs']),
        ...(arns.partnerSecrets.length > 0
          ? [allow('PartnerWebhookSecrets', ['secretsmanager:GetSecretValue'], arns.partnerSecrets)]
          : []),
      );
    case 'reconciliation':
      // Parallel Scans and the unsettled index for the proof; Gets, the by_user index and the
      // repairs (rebuild a cache item = Update, restore a deposit event = conditional Put).
      return policy(
        logs(logGroupArn),
        allow('ScanStores', ['dynamodb:Scan'], [t.creditCache, t.depositEvents]),
        allow(
          'ReadItems',
          ['dynamodb:GetItem'],
          [t.creditCache, t.depositEvents, t.transactionLog],
        ),
        allow(
          'DecisionIndexes',
          ['dynamodb:Query'],
          [`${t.transactionLog}/index/by_user`, `${t.transactionLog}/index/unsettled`],
        ),
        allow('RebuildCacheItem', ['dynamodb:UpdateItem'], [t.creditCache]),
        allow('RestoreDepositEvent', ['dynamodb:PutItem'], [t.depositEvents]),
        dataKey(arns, ['dynamodb', 's3', 'secretsmanager', 'sqs']),
        ...dataApi(arns, name),
        putEvents(arns, [eventSources.reconciliation, eventSources.authorization]),
        // Reports are streamed (multipart); a failed one is aborted, never left half-written.
        allow(
          'WriteReports',
          ['s3:AbortMultipartUpload', 's3:PutObject'],
          [`${arns.buckets.reports}/reports/*`],
        ),
        // Peeks at the callbacks DLQ (receive, then make visible again); never deletes.
        allow(
          'PeekCallbackDeadLetters',
          ['sqs:ChangeMessageVisibility', 'sqs:ReceiveMessage'],
          [arns.queues.callbacksDlq],
        ),
        asyncFailures(arns),
      );
    case 'migrator':
      // The master user applies the schema, then gives each function role its password.
      return policy(
        logs(logGroupArn),
        allow('AuroraDataApi', dataApiActions, [arns.cluster]),
        allow('AuroraMasterSecret', ['secretsmanager:GetSecretValue'], [arns.dbSecret]),
        allow(
          'RoleSecrets',
          ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
          Object.values(arns.dbRoleSecrets),
        ),
        dataKey(arns, ['secretsmanager']),
      );
  }
};

export const assumeRolePolicy = (service: string, condition?: ConditionBlock): PolicyDocument =>
  policy({
    Effect: 'Allow',
    Principal: { Service: service },
    Action: ['sts:AssumeRole'],
    Resource: [],
    ...(condition ? { Condition: condition } : {}),
  });

/** Trust policies carry no Resource; the serialiser drops the empty list. */
export const toJson = (document: PolicyDocument): string =>
  JSON.stringify({
    Version: document.Version,
    Statement: document.Statement.map((statement) => {
      const { Resource, ...rest } = statement;
      return Resource.length > 0 ? statement : rest;
    }),
  });

/** Deny every request that does not use TLS. */
export const tlsOnlyBucketPolicy = (bucketArn: string): PolicyDocument =>
  policy({
    Sid: 'DenyInsecureTransport',
    Effect: 'Deny',
    Principal: '*',
    Action: ['s3:*'],
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });

/** Only the given EventBridge rules may send to the queue. */
export const queueFromRulesPolicy = (
  queueArn: string,
  ruleArns: readonly string[],
): PolicyDocument =>
  policy({
    Sid: 'AllowBusRules',
    Effect: 'Allow',
    Principal: { Service: 'events.amazonaws.com' },
    Action: ['sqs:SendMessage'],
    Resource: [queueArn],
    Condition: { ArnEquals: { 'aws:SourceArn': [...ruleArns].sort() } },
  });

export interface BusPartner {
  readonly id: string;
  readonly accountId: string;
  readonly eventSource: string;
}

/** Each partner account may put TransactionRequested under its own source, and nothing else. */
export const busPolicy = (
  busArn: string,
  partners: readonly BusPartner[],
  detailType: string,
): PolicyDocument =>
  policy(
    ...partners.map((partner): PolicyStatement => ({
      Sid: `Partner${partner.id.replace(/[^A-Za-z0-9]/g, '')}TransactionRequested`,
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${partner.accountId}:root` },
      Action: ['events:PutEvents'],
      Resource: [busArn],
      Condition: {
        StringEquals: { 'events:source': partner.eventSource, 'events:detail-type': detailType },
      },
    })),
  );

export const pipeRolePolicy = (arns: {
  streamArn: string;
  tableArn: string;
  busArn: string;
  dlqArn: string;
  keyArn: string;
  region: string;
  logGroupArn: string;
}): PolicyDocument =>
  policy(
    allow(
      'ReadStream',
      ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
      [arns.streamArn],
    ),
    allow('ListStreams', ['dynamodb:ListStreams'], [`${arns.tableArn}/stream/*`]),
    allow('StreamKey', ['kms:Decrypt'], [arns.keyArn], {
      StringEquals: { 'kms:ViaService': `dynamodb.${arns.region}.amazonaws.com` },
    }),
    allow('PublishDecisions', ['events:PutEvents'], [arns.busArn]),
    allow('DeadLetters', ['sqs:SendMessage'], [arns.dlqArn]),
    deadLetterKey(arns.keyArn, arns.region),
    allow(
      'PipeLogs',
      ['logs:CreateLogStream', 'logs:PutLogEvents'],
      [`${arns.logGroupArn}:log-stream:*`],
    ),
  );

/** Dead-letter queues are on the data key: a sender needs a data key through SQS. */
const deadLetterKey = (keyArn: string, region: string): PolicyStatement =>
  allow('DeadLetterKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [keyArn], {
    StringEquals: { 'kms:ViaService': `sqs.${region}.amazonaws.com` },
  });

export const schedulerRolePolicy = (arns: {
  functionArn: string;
  dlqArn: string;
  keyArn: string;
  region: string;
}): PolicyDocument =>
  policy(
    allow('InvokeReconciliation', ['lambda:InvokeFunction'], [arns.functionArn]),
    allow('DeadLetters', ['sqs:SendMessage'], [arns.dlqArn]),
    deadLetterKey(arns.keyArn, arns.region),
  );

export interface FirehoseArns {
  readonly bucketArn: string;
  readonly prefixes: readonly string[];
  readonly keyArn: string;
  readonly region: string;
  readonly logGroupArn: string;
  readonly redshiftSecretArn?: string;
}

export const firehoseRolePolicy = (arns: FirehoseArns): PolicyDocument =>
  policy(
    allow(
      'AuditBucket',
      ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
      [arns.bucketArn],
    ),
    allow(
      'AuditObjects',
      ['s3:AbortMultipartUpload', 's3:GetObject', 's3:PutObject'],
      arns.prefixes.map((prefix) => `${arns.bucketArn}/${prefix}*`),
    ),
    allow('AuditKey', ['kms:Decrypt', 'kms:GenerateDataKey'], [arns.keyArn], {
      StringEquals: { 'kms:ViaService': `s3.${arns.region}.amazonaws.com` },
    }),
    allow('DeliveryLogs', ['logs:PutLogEvents'], [`${arns.logGroupArn}:log-stream:*`]),
    ...(arns.redshiftSecretArn
      ? [allow('RedshiftSecret', ['secretsmanager:GetSecretValue'], [arns.redshiftSecretArn])]
      : []),
  );

/**
 * A partner's role may upload deposit files under its own `inbox/<partner_id>/` and nowhere
 * else: the DepositProcessor takes the prefix as the owner of every row in the file, so this
 * is what makes a deposit the partner's. No read, list or delete: the results are creditline's.
 */
export const partnerInboxPolicy = (arns: {
  readonly depositsBucket: string;
  readonly dataKey: string;
  readonly region: string;
  readonly partnerId: string;
}): PolicyDocument =>
  policy(
    allow(
      'UploadOwnInbox',
      ['s3:PutObject', 's3:AbortMultipartUpload'],
      [`${arns.depositsBucket}/inbox/${arns.partnerId}/*`],
    ),
    allow('InboxKey', ['kms:GenerateDataKey', 'kms:Decrypt'], [arns.dataKey], {
      StringEquals: { 'kms:ViaService': `s3.${arns.region}.amazonaws.com` },
    }),
  );

/** A partner's role may call the API routes, nothing else. */
export const partnerApiPolicy = (routeArns: readonly string[]): PolicyDocument =>
  policy(allow('InvokeRoutes', ['execute-api:Invoke'], routeArns));

/**
 * Who may assume a partner's API role: only the named principals of the partner's account
 * (aws:PrincipalArn), and only presenting the partner's random external id (the confused-deputy
 * guard; a guessable one such as the partner's name would not be).
 */
export const partnerTrustPolicy = (
  accountId: string,
  externalId: string,
  principalArns: readonly string[],
): PolicyDocument =>
  policy({
    Effect: 'Allow',
    Principal: { AWS: `arn:aws:iam::${accountId}:root` },
    Action: ['sts:AssumeRole'],
    Resource: [],
    Condition: {
      StringEquals: { 'sts:ExternalId': externalId },
      ArnEquals: { 'aws:PrincipalArn': [...principalArns] },
    },
  });

/** Every (action, resource) pair a document allows; used by the tests and the plan. */
export const grantsOf = (document: PolicyDocument): { action: string; resource: string }[] =>
  document.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) =>
    statement.Action.flatMap((action) =>
      statement.Resource.map((resource) => ({ action, resource })),
    ),
  );

/** Problems that break least privilege: wildcard actions, or `*` as a resource. */
export const wildcardProblems = (document: PolicyDocument): string[] =>
  document.Statement.filter((statement) => statement.Effect === 'Allow').flatMap((statement) => [
    ...statement.Action.filter(
      (action) => action === '*' || action.endsWith(':*') || action.includes('*'),
    ).map((action) => `${statement.Sid ?? '(no sid)'}: wildcard action ${action}`),
    ...statement.Resource.filter((resource) => resource === '*').map(
      () => `${statement.Sid ?? '(no sid)'}: resource *`,
    ),
  ]);
