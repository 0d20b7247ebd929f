import type { TestProject } from 'vitest/node';
import { startScratchStores } from '../scratch-stores.js';

/** The database every test database is cloned from: migrations applied once per run. */
export const TEMPLATE_DATABASE = 'creditline_template';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    postgresAdminUrl: string;
    postgresUrlPrefix: string;
    s3Endpoint: string;
    templateDatabase: string;
  }
}

/**
 * Starts DynamoDB Local, PostgreSQL and s3rver once per run, on free ports, and stops them at
 * the end. Tests isolate themselves: a table prefix, a database cloned from the template and
 * a bucket of their own (see fixtures.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const stores = await startScratchStores({ prefix: 'creditline-test-', database: TEMPLATE_DATABASE });
  project.provide('dynamoEndpoint', stores.dynamo.endpoint);
  project.provide('postgresAdminUrl', stores.postgres.adminUrl);
  project.provide('postgresUrlPrefix', stores.postgres.urlFor(''));
  project.provide('s3Endpoint', stores.s3.endpoint);
  project.provide('templateDatabase', TEMPLATE_DATABASE);
  return () => stores.stop();
}
