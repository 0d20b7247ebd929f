import { RDSDataClient, type RDSDataClientConfig } from '@aws-sdk/client-rds-data';
import type { SqlClient } from '@creditline/domain';
import type { z } from 'zod';
import { envNames, type configPieces } from '../config/env.js';
import { createDataApiSqlClient } from './data-api-sql-client.js';
import { createPgSqlClient } from './pg-sql-client.js';

export type DatabaseConfig = z.infer<typeof configPieces.database>;

export interface SqlClientOptions {
  /** node-postgres pool size (one Lambda instance serves one request at a time). */
  readonly poolSize?: number;
  readonly rdsData?: RDSDataClientConfig;
}

/**
 * The SQL port every function uses, chosen by configuration: node-postgres when DATABASE_URL
 * is set (local runtime, tests), the RDS Data API to Aurora otherwise. Built once per cold
 * start; neither connects before the first query.
 */
export const createSqlClientFromConfig = (config: DatabaseConfig, options: SqlClientOptions = {}): SqlClient => {
  if (envNames.databaseUrl in config) {
    return createPgSqlClient(config[envNames.databaseUrl], { max: options.poolSize ?? 2 });
  }
  return createDataApiSqlClient(new RDSDataClient({ ...options.rdsData }), {
    resourceArn: config[envNames.dbClusterArn],
    secretArn: config[envNames.dbSecretArn],
    database: config[envNames.dbName],
  });
};
