import { envNames } from '@creditline/adapters/config/env';
import type { FunctionName } from '../lib/catalog.js';

/**
 * What each function may do, written out by hand from the design (not derived from
 * policies.ts), as `action store`. Stores are symbolic: `table:<Name>[/index/<index>]`,
 * `bucket:<kind>/<prefix>*`, `queue:<name>`, `aurora`, `aurora-secret` (the master user's),
 * `db-secret:<function>` (a function's own database role), `bus`,
 * `audit-stream`, `data-key`, `own-log-group`, `partner-secret:<id>`.
 * The stack tests map every ARN in a role's policy to these names and compare exactly.
 */
const logs = ['logs:CreateLogStream own-log-group', 'logs:PutLogEvents own-log-group'];
const rdsData = [
  'rds-data:ExecuteStatement aurora',
  'rds-data:BeginTransaction aurora',
  'rds-data:CommitTransaction aurora',
  'rds-data:RollbackTransaction aurora',
];
/** The Data API as the function's own role: never the master secret. */
const dataApi = (fn: FunctionName): string[] => [
  ...rdsData,
  `secretsmanager:GetSecretValue db-secret:${fn}`,
];
const databaseUsers: readonly FunctionName[] = [
  'transaction-validator',
  'deposit-processor',
  'transaction-logger',
  'reconciliation',
];
const key = ['kms:Decrypt data-key', 'kms:GenerateDataKey data-key'];
const consume = (queue: string): string[] =>
  [
    'sqs:ReceiveMessage',
    'sqs:DeleteMessage',
    'sqs:GetQueueAttributes',
    'sqs:ChangeMessageVisibility',
  ].map((action) => `${action} queue:${queue}`);
const asyncFailures = ['sqs:SendMessage queue:async-dlq'];

export const expectedGrants = (
  partnerIds: readonly string[],
): Readonly<Record<FunctionName, readonly string[]>> => ({
  'transaction-validator': [
    ...logs,
    'dynamodb:GetItem table:CreditCache',
    'dynamodb:PutItem table:CreditCache',
    'dynamodb:UpdateItem table:CreditCache',
    'dynamodb:GetItem table:TransactionLog',
    'dynamodb:PutItem table:TransactionLog',
    'dynamodb:GetItem table:Webhooks',
    // ControlsChanged on the bus, published by the controls API.
    'events:PutEvents bus',
    'dynamodb:UpdateItem table:TransactionLog',
    ...key,
    ...dataApi('transaction-validator'),
    ...asyncFailures,
  ],
  'deposit-processor': [
    ...logs,
    's3:GetObject bucket:deposits/inbox/*',
    's3:AbortMultipartUpload bucket:deposits/processed/*',
    's3:AbortMultipartUpload bucket:deposits/rejected/*',
    's3:PutObject bucket:deposits/processed/*',
    's3:PutObject bucket:deposits/rejected/*',
    's3:DeleteObject bucket:deposits/rejected/*',
    'dynamodb:PutItem table:DepositEvents',
    'dynamodb:UpdateItem table:CreditCache',
    ...key,
    ...dataApi('deposit-processor'),
    'events:PutEvents bus',
    ...asyncFailures,
  ],
  'transaction-logger': [
    ...logs,
    ...consume('transaction-log'),
    ...dataApi('transaction-logger'),
    'firehose:PutRecordBatch audit-stream',
    'dynamodb:UpdateItem table:TransactionLog',
    ...key,
  ],
  'callback-dispatcher': [
    ...logs,
    ...consume('callbacks'),
    'sqs:SendMessage queue:callbacks',
    'dynamodb:UpdateItem table:TransactionLog',
    'dynamodb:GetItem table:TransactionLog',
    'dynamodb:GetItem table:Webhooks',
    'dynamodb:PutItem table:Webhooks',
    'dynamodb:UpdateItem table:Webhooks',
    ...key,
    ...partnerIds.map((id) => `secretsmanager:GetSecretValue partner-secret:${id}`),
  ],
  reconciliation: [
    ...logs,
    ...dataApi('reconciliation'),
    'dynamodb:Scan table:CreditCache',
    'dynamodb:Scan table:DepositEvents',
    'dynamodb:GetItem table:CreditCache',
    'dynamodb:GetItem table:DepositEvents',
    'dynamodb:GetItem table:TransactionLog',
    'dynamodb:Query table:TransactionLog/index/unsettled',
    'dynamodb:Query table:TransactionLog/index/by_user',
    'dynamodb:UpdateItem table:CreditCache',
    'dynamodb:PutItem table:DepositEvents',
    'events:PutEvents bus',
    's3:AbortMultipartUpload bucket:reports/reports/*',
    's3:PutObject bucket:reports/reports/*',
    'sqs:ReceiveMessage queue:callbacks-dlq',
    'sqs:ChangeMessageVisibility queue:callbacks-dlq',
    ...key,
    ...asyncFailures,
  ],
  'hold-journal': [
    ...logs,
    'dynamodb:DescribeStream stream:CreditCache',
    'dynamodb:GetRecords stream:CreditCache',
    'dynamodb:GetShardIterator stream:CreditCache',
    'dynamodb:ListStreams stream:CreditCache',
    'dynamodb:GetItem table:TransactionLog',
    'dynamodb:UpdateItem table:TransactionLog',
    'dynamodb:UpdateItem table:CreditCache',
    'events:PutEvents bus',
    ...key,
    ...asyncFailures,
  ],
  migrator: [
    ...logs,
    ...rdsData,
    'secretsmanager:GetSecretValue aurora-secret',
    ...databaseUsers.flatMap((fn) => [
      `secretsmanager:GetSecretValue db-secret:${fn}`,
      `secretsmanager:PutSecretValue db-secret:${fn}`,
    ]),
    ...key,
  ],
});

/** The environment each function gets (besides POWERTOOLS_* and NODE_OPTIONS). */
const tables = [
  envNames.creditCacheTable,
  envNames.depositEventsTable,
  envNames.transactionLogTable,
];
const database = [envNames.dbClusterArn, envNames.dbSecretArn, envNames.dbName];
export const expectedEnvironment: Readonly<Record<FunctionName, readonly string[]>> = {
  'transaction-validator': [
    envNames.stage,
    ...tables,
    envNames.webhooksTable,
    ...database,
    envNames.partners,
    envNames.eventBusName,
  ],
  'deposit-processor': [
    envNames.stage,
    ...tables,
    ...database,
    envNames.eventBusName,
    envNames.depositsBucket,
  ],
  'transaction-logger': [envNames.stage, ...tables, ...database, envNames.auditStream],
  'callback-dispatcher': [
    envNames.stage,
    ...tables,
    envNames.webhooksTable,
    envNames.partners,
    envNames.callbacksQueueUrl,
  ],
  reconciliation: [
    envNames.stage,
    ...tables,
    ...database,
    envNames.eventBusName,
    envNames.reportsBucket,
    envNames.callbacksDlqUrl,
  ],
  'hold-journal': [envNames.stage, ...tables, envNames.eventBusName, envNames.partners],
  migrator: [...database, 'DB_ROLE_SECRETS'],
};
