import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configPieces, readConfig } from '../config/env.js';
import { createSqlClientFromConfig } from './sql-client-from-config.js';

describe('createSqlClientFromConfig', () => {
  let db: TestDatabase;
  let server: Server;
  let endpoint: string;
  const requests: { path: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    server = createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        requests.push({ path: request.url ?? '', body: JSON.parse(text) as Record<string, unknown> });
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ columnMetadata: [{ name: 'one', label: 'one', typeName: 'int4' }], records: [[{ longValue: 1 }]] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db.drop();
  });

  it('talks to PostgreSQL through node-postgres when DATABASE_URL is set, even beside Data API settings', async () => {
    // Prepare
    const config = readConfig(configPieces.database, {
      DATABASE_URL: db.url,
      DB_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:123456789012:cluster:creditline',
      DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
      DB_NAME: 'creditline',
    });

    // Act
    const { rows } = await createSqlClientFromConfig(config).query('SELECT current_database() AS name');

    // Assess
    expect(rows).toEqual([{ name: db.name }]);
    expect(requests).toHaveLength(0);
  });

  it('talks to Aurora through the Data API otherwise, with the configured cluster, secret and database', async () => {
    // Prepare
    const config = readConfig(configPieces.database, {
      DB_CLUSTER_ARN: 'arn:aws:rds:eu-west-1:123456789012:cluster:creditline',
      DB_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
      DB_NAME: 'creditline',
    });
    const client = createSqlClientFromConfig(config, {
      rdsData: { endpoint, region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' }, maxAttempts: 1 },
    });

    // Act
    const { rows } = await client.query('SELECT 1 AS one');

    // Assess
    expect(rows).toEqual([{ one: 1 }]);
    expect(requests).toEqual([
      {
        path: '/Execute',
        body: {
          resourceArn: 'arn:aws:rds:eu-west-1:123456789012:cluster:creditline',
          secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:db',
          database: 'creditline',
          sql: 'SELECT 1 AS one',
          parameters: [],
          includeResultMetadata: true,
        },
      },
    ]);
  });
});
