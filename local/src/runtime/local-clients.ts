import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '@creditline/adapters/dynamodb/document-client';
import { createPgSqlClient, type PgSqlClient } from '@creditline/adapters/sql/pg-sql-client';
import { localCredentials, localRegion } from '@creditline/stand-ins';

export interface LocalEndpoints {
  readonly dynamodbEndpoint: string;
  readonly s3Endpoint: string;
  readonly databaseUrl: string;
  /** The runtime's AWS endpoint (EventBridge PutEvents, dead-letter SQS operations). */
  readonly awsEndpoint?: string;
}

export interface LocalClients {
  readonly dynamo: DynamoDBClient;
  readonly doc: DynamoDBDocumentClient;
  readonly s3: S3Client;
  readonly sql: PgSqlClient;
  eventBridge(): EventBridgeClient;
  sqs(): SQSClient;
  secretsManager(): SecretsManagerClient;
  close(): Promise<void>;
}

/** SDK clients configured for the stand-ins: the runtime and the CLI build them the same way. */
export const createLocalClients = (endpoints: LocalEndpoints, options: { sqlPoolSize?: number } = {}): LocalClients => {
  const base = { region: localRegion, credentials: localCredentials };
  const dynamo = new DynamoDBClient({ ...base, endpoint: endpoints.dynamodbEndpoint });
  const s3 = new S3Client({
    region: localRegion,
    endpoint: endpoints.s3Endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    forcePathStyle: true,
    // s3rver does not understand the SDK's default streaming checksums.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const sql = createPgSqlClient(endpoints.databaseUrl, { max: options.sqlPoolSize ?? 10 });
  const awsEndpoint = (): string => {
    if (!endpoints.awsEndpoint) throw new Error('no local AWS endpoint configured');
    return endpoints.awsEndpoint;
  };
  return {
    dynamo,
    doc: createDocumentClient({ ...base, endpoint: endpoints.dynamodbEndpoint }),
    s3,
    sql,
    eventBridge: () => new EventBridgeClient({ ...base, endpoint: awsEndpoint() }),
    sqs: () => new SQSClient({ ...base, endpoint: awsEndpoint() }),
    secretsManager: () => new SecretsManagerClient({ ...base, endpoint: awsEndpoint() }),
    close: async () => {
      dynamo.destroy();
      s3.destroy();
      await sql.close();
    },
  };
};
