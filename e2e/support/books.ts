import { paginateScan } from '@aws-sdk/lib-dynamodb';
import { tableNames } from '../../functions/adapters/src/definitions/index.js';
import { createLocalClients } from '../../local/src/runtime/local-clients.js';
import { DEFAULT_LOCAL_PARTNER } from '../../local/src/identity/local-partners.js';
import { localNames, type RuntimeInfo } from '../../local/src/runtime/settings.js';

/**
 * What the running system's stores hold, read directly (DynamoDB Local and PostgreSQL, through
 * the endpoints in runtime.json), to check the money against what was sent in.
 */
export interface Books {
  /** CreditCache `available` per user, in cents. */
  readonly cacheAvailable: Map<string, number>;
  /** DepositEvents items. */
  readonly depositEvents: number;
  /** Aurora `credit_balance.balance` per user, in cents. */
  readonly auroraBalance: Map<string, number>;
  /** Aurora `deposits` rows, and their sum per user. */
  readonly auroraDeposits: number;
  readonly auroraDepositSums: Map<string, number>;
  /** Aurora `transactions` rows by id (settled decisions). */
  readonly settledTransactions: Map<string, { status: string; amount: number }>;
}

/** One partner's books (default demo): another partner's users of the same ids are other accounts. */
export const readBooks = async (
  info: RuntimeInfo,
  partnerId: string = DEFAULT_LOCAL_PARTNER,
): Promise<Books> => {
  const clients = createLocalClients(info, { sqlPoolSize: 2 });
  const tables = tableNames(localNames.prefix);
  try {
    const cacheAvailable = new Map<string, number>();
    for await (const page of paginateScan(
      { client: clients.doc },
      { TableName: tables.creditCache, ConsistentRead: true },
    )) {
      for (const item of page.Items ?? [])
        if (item['partner_id'] === partnerId)
          cacheAvailable.set(String(item['user_id']), Number(item['available']));
    }
    let depositEvents = 0;
    for await (const page of paginateScan(
      { client: clients.doc },
      {
        TableName: tables.depositEvents,
        Select: 'COUNT',
        ConsistentRead: true,
        FilterExpression: 'partner_id = :partner',
        ExpressionAttributeValues: { ':partner': partnerId },
      },
    )) {
      depositEvents += page.Count ?? 0;
    }
    const balances = await clients.sql.query<{ user_id: string; balance: number }>(
      'SELECT user_id, balance FROM credit_balance WHERE partner_id = :partner',
      { partner: partnerId },
    );
    const deposits = await clients.sql.query<{ user_id: string; total: number; n: number }>(
      'SELECT user_id, sum(amount)::bigint AS total, count(*)::bigint AS n FROM deposits WHERE partner_id = :partner GROUP BY user_id',
      { partner: partnerId },
    );
    const transactions = await clients.sql.query<{
      transaction_id: string;
      status: string;
      amount: number;
    }>('SELECT transaction_id, status, amount FROM transactions WHERE partner_id = :partner', {
      partner: partnerId,
    });
    return {
      cacheAvailable,
      depositEvents,
      auroraBalance: new Map(balances.rows.map((row) => [row.user_id, row.balance])),
      auroraDeposits: deposits.rows.reduce((total, row) => total + row.n, 0),
      auroraDepositSums: new Map(deposits.rows.map((row) => [row.user_id, row.total])),
      settledTransactions: new Map(
        transactions.rows.map((row) => [
          row.transaction_id,
          { status: row.status, amount: row.amount },
        ]),
      ),
    };
  } finally {
    await clients.close();
  }
};

/** DepositEvents items so far: how far a file's processing has come. */
export const countDepositEvents = async (info: RuntimeInfo): Promise<number> => {
  const clients = createLocalClients(info, { sqlPoolSize: 1 });
  try {
    let count = 0;
    for await (const page of paginateScan(
      { client: clients.doc },
      { TableName: tableNames(localNames.prefix).depositEvents, Select: 'COUNT' },
    )) {
      count += page.Count ?? 0;
    }
    return count;
  } finally {
    await clients.close();
  }
};
