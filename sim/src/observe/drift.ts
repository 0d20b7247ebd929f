import { GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { TableNames } from '@creditline/adapters/definitions';
import type { SqlExecutor } from '@creditline/domain';

/**
 * What every store holds about one account that reconciliation found drifting after the drain:
 * the account item, every TransactionLog item of the account (claims included: a Scan, the
 * tables are small), and what Aurora booked for those ids. Read in the final phase only, with
 * faults off, so that a drift's trace shows the figures and the decisions it comes from
 * instead of only the user's name.
 */
export interface DriftedAccountView {
  readonly partner: string;
  readonly user: string;
  readonly lines: readonly { readonly transaction?: string; readonly text: string }[];
}

/** A reconciliation row names an account by its scoped key, `partner#user_id`. */
export const parseScopedUser = (
  scoped: string,
): { readonly partner: string; readonly user: string } | null => {
  const at = scoped.indexOf('#');
  if (at <= 0 || at === scoped.length - 1) return null;
  return { partner: scoped.slice(0, at), user: scoped.slice(at + 1) };
};

const show = (value: unknown): string =>
  JSON.stringify(value, (_, inner: unknown) => (inner instanceof Set ? [...inner] : inner));

export const viewDriftedAccount = async (
  doc: DynamoDBDocumentClient,
  sql: SqlExecutor,
  tables: Pick<TableNames, 'creditCache' | 'transactionLog'>,
  partner: string,
  user: string,
): Promise<DriftedAccountView> => {
  const scoped = `${partner}#${user}`;
  const lines: { transaction?: string; text: string }[] = [];
  const { Item } = await doc.send(
    new GetCommand({ TableName: tables.creditCache, Key: { pk: scoped }, ConsistentRead: true }),
  );
  const account: Record<string, unknown> | undefined = Item;
  lines.push({
    text: `drifted ${scoped}: account item ${account === undefined ? 'absent' : show({ available: account['available'], pending: account['pending'], version: account['version'], last_op: account['last_op'] })}`,
  });
  const items: Record<string, unknown>[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await doc.send(
      new ScanCommand({
        TableName: tables.transactionLog,
        FilterExpression: 'account_key = :account',
        ExpressionAttributeValues: { ':account': scoped },
        ConsistentRead: true,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  const booked = await sql.query<{
    transaction_id: string;
    status: string;
    amount: number;
    settled_at: string;
  }>(
    'SELECT transaction_id, status, amount, settled_at::text AS settled_at FROM transactions WHERE partner_id = :partner AND user_id = :user',
    { partner, user },
  );
  const inBooks = new Map(booked.rows.map((row) => [row.transaction_id, row]));
  const balance = await sql.query<{ balance: number }>(
    'SELECT balance FROM credit_balance WHERE partner_id = :partner AND user_id = :user',
    { partner, user },
  );
  lines.push({
    text: `drifted ${scoped}: credit_balance ${balance.rows[0]?.balance ?? 'absent'}, ${booked.rows.length} transaction row(s), ${items.length} TransactionLog item(s)`,
  });
  for (const item of items.sort((a, b) =>
    String(a['transaction_id']).localeCompare(String(b['transaction_id'])),
  )) {
    const id = String(item['transaction_id']);
    const row = inBooks.get(id);
    const unsettled = item['settlement_state'] !== undefined;
    // Only what can explain a drift: decisions that moved money, or are not settled, or not booked.
    if (item['status'] !== 'PERMITTED' && !unsettled && row !== undefined) continue;
    lines.push({
      transaction: id,
      text: `drifted ${scoped}: ${id} ${show({
        state: item['state'],
        status: item['status'],
        amount: item['amount'],
        attempt: item['attempt'],
        released_attempts: item['released_attempts'],
        settlement_state: item['settlement_state'],
        settled_at: item['settled_at'],
        decided_at: item['decided_at'],
      })}; Aurora: ${row === undefined ? 'no row' : show(row)}`,
    });
  }
  return { partner, user, lines };
};
