import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';

/** The global setup's stand-ins, isolated for one simulation: a table/bucket prefix and a database of its own. */
export const testStores = async (): Promise<{
  stores: { dynamodb: string; s3: string; databaseUrl: string; tablePrefix: string };
  db: TestDatabase;
}> => {
  const db = await createTestDatabase();
  return {
    db,
    stores: {
      dynamodb: inject('dynamoEndpoint'),
      s3: inject('s3Endpoint'),
      databaseUrl: db.url,
      tablePrefix: `sim-${randomBytes(4).toString('hex')}-`,
    },
  };
};
