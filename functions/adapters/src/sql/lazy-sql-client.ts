import type { SqlClient } from '@creditline/domain';
import { loadOnce } from '../load-once.js';

/**
 * A SqlClient built on its first query, for a function that seldom reaches Aurora: the
 * TransactionValidator asks the books only for a user the cache does not hold yet, and for
 * controls. Its cold start then neither loads the RDS Data client (nor node-postgres locally)
 * nor builds it; the first query that needs it pays that once (`bench/cold-start/README.md`).
 */
export const lazySqlClient = (load: () => Promise<SqlClient>): SqlClient => {
  const client = loadOnce(load);
  return {
    query: async (sql, params) => (await client()).query(sql, params),
    transaction: async (work) => (await client()).transaction(work),
  };
};
