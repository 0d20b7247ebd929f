import type { SqlClient, SqlExecutor, SqlParams, SqlRow } from '@creditline/domain';
import type { FaultProfile } from './profile.js';
import type { Injector } from './scope.js';

/**
 * Faults at the SQL port's client (node-postgres underneath): an Aurora outage window (every
 * call refused, as a paused or failing-over cluster refuses), a connection dropped before a
 * query or in the middle of a transaction (PostgreSQL rolls it back), and a commit applied whose
 * answer is lost. Errors carry the SQLSTATE / socket codes node-postgres gives.
 */
export interface AuroraSwitch {
  down: boolean;
}

const connectionError = (what: string): Error =>
  Object.assign(new Error(`sim: Connection terminated unexpectedly (${what})`), { code: '08006' });

const unavailableError = (): Error =>
  Object.assign(new Error('sim: the database system is starting up'), { code: '57P03' });

export const withSqlFaults = (
  client: SqlClient,
  injector: Injector,
  profile: FaultProfile,
  aurora: AuroraSwitch,
): SqlClient => {
  const guard = (what: string): void => {
    injector.beforeStoreCall(`SQL ${what}`);
    if (aurora.down) {
      injector.draw('aurora-outage', 1, what);
      throw unavailableError();
    }
  };
  const firstWords = (sql: string): string => sql.trim().split(/\s+/).slice(0, 3).join(' ');
  return {
    async query(sql, params) {
      guard(firstWords(sql));
      if (injector.draw('sql-drop-before', profile.sqlDropBefore, firstWords(sql)))
        throw connectionError(firstWords(sql));
      return client.query(sql, params);
    },
    async transaction(work) {
      guard('BEGIN');
      const dropAt = injector.draw(
        'sql-drop-mid-transaction',
        profile.sqlDropMidTransaction,
        'transaction',
      )
        ? 1
        : 0;
      const loseCommit = injector.draw(
        'sql-commit-answer-lost',
        profile.sqlCommitAnswerLost,
        'COMMIT',
      );
      const result = await client.transaction(async (tx) => {
        let queries = 0;
        const executor: SqlExecutor = {
          async query<R extends SqlRow = SqlRow>(sql: string, params?: SqlParams) {
            queries += 1;
            if (aurora.down) throw unavailableError();
            const answer = await tx.query<R>(sql, params);
            // Dropped after the first statement ran: the server rolls the transaction back.
            if (dropAt > 0 && queries >= dropAt)
              throw connectionError(`in transaction after ${firstWords(sql)}`);
            return answer;
          },
        };
        return work(executor);
      });
      if (loseCommit) throw connectionError('after COMMIT');
      return result;
    },
  };
};
