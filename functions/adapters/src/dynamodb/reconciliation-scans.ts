import {
  QueryCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import {
  PermanentStoreError,
  decisionStatusSchema,
  type CacheItemFigures,
  type DepositRecord,
  type UnsettledDecision,
} from '@creditline/domain';
import { transactionLogTable, type BooksTableNames } from '../definitions/tables.js';
import { scopedKey } from '../definitions/tenancy.js';
import { unsettledShardKeys } from './transaction-log-item.js';

/**
 * DynamoDB's side of the nightly reconciliation: parallel Scans of CreditCache and DepositEvents
 * (TotalSegments configurable, only the compared attributes projected) and a Query of the
 * TransactionLog's sparse `unsettled` index. Items are decoded from raw attribute values by hand:
 * a million items through a generic unmarshaller and a schema would cost more than the Scan.
 * Users, deposits and decisions are named by their scoped keys (`partner#id`), as Aurora's side
 * names them, so two partners' ids never meet.
 */

/** A CreditCache item's figures plus the version it was read at (a repair is guarded by it). */
export interface CacheItemSnapshot extends CacheItemFigures {
  /** Absent on an item only deposits have touched: it reads as 0. */
  readonly version: number;
}

export interface ReconciliationScans {
  eachCacheItemPage(segments: number, onPage: (items: CacheItemSnapshot[]) => void): Promise<void>;
  eachDepositEventPage(segments: number, onPage: (records: DepositRecord[]) => void): Promise<void>;
  eachUnsettledDecisionPage(onPage: (decisions: UnsettledDecision[]) => void): Promise<void>;
}

type Item = Record<string, AttributeValue>;

/** A malformed item in a money table is a bug upstream: fail loudly, naming it. */
const unreadable = (table: string, key: string, problem: string): PermanentStoreError =>
  new PermanentStoreError(`${table} item ${key} cannot be reconciled: ${problem}`);

const readString = (item: Item, name: string, table: string, key: string): string => {
  const value = item[name]?.S;
  if (value === undefined) throw unreadable(table, key, `${name} is not a string`);
  return value;
};

const readInteger = (item: Item, name: string, table: string, key: string): number => {
  const text = item[name]?.N;
  const value = text === undefined ? Number.NaN : Number(text);
  if (!Number.isSafeInteger(value))
    throw unreadable(table, key, `${name} is not an integer (${text ?? 'absent'})`);
  return value;
};

const keyOf = (item: Item, name: string): string =>
  item[name]?.S ?? JSON.stringify(item[name] ?? null);

/** Names in projections go through placeholders: `status` and friends are reserved words. */
const projection = (names: readonly string[]) => ({
  ProjectionExpression: names.map((_, index) => `#a${index}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(names.map((name, index) => [`#a${index}`, name])),
});

const withStateName = (expression: ReturnType<typeof projection>) => ({
  ...expression,
  ExpressionAttributeNames: {
    ...expression.ExpressionAttributeNames,
    '#state': 'settlement_state',
  },
});

/** Typed against the shared definition, so renaming the index there breaks this build. */
const UNSETTLED_INDEX: (typeof transactionLogTable.globalIndexes)[number]['name'] = 'unsettled';

export interface ReconciliationScansOptions {
  /**
   * Items per page (Scan and Query `Limit`). DynamoDB stops a page at 1 MB anyway, about 4,000
   * DepositEvents items, so in AWS this bounds little; DynamoDB Local, without a Limit, reads the
   * rest of the segment for every page (a 500,000-item Scan took minutes instead of seconds).
   */
  readonly pageLimit?: number;
}

const DEFAULT_PAGE_LIMIT = 5_000;

const parallelScan = async (
  client: DynamoDBClient,
  table: string,
  attributes: readonly string[],
  segments: number,
  pageLimit: number,
  onPage: (items: Item[]) => void,
): Promise<void> => {
  if (!Number.isInteger(segments) || segments < 1 || segments > 1_000_000) {
    throw new RangeError(`segments must be an integer from 1 to 1,000,000, got ${segments}`);
  }
  const scanSegment = async (segment: number): Promise<void> => {
    let startKey: Item | undefined;
    do {
      const page = await client.send(
        new ScanCommand({
          TableName: table,
          ...projection(attributes),
          Limit: pageLimit,
          ...(segments > 1 ? { Segment: segment, TotalSegments: segments } : {}),
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      if (page.Items && page.Items.length > 0) onPage(page.Items);
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)));
};

export const createReconciliationScans = (
  client: DynamoDBClient,
  tables: BooksTableNames,
  options: ReconciliationScansOptions = {},
): ReconciliationScans => {
  const pageLimit = options.pageLimit ?? DEFAULT_PAGE_LIMIT;
  return {
    eachCacheItemPage: (segments, onPage) =>
      parallelScan(
        client,
        tables.creditCache,
        ['pk', 'available', 'version'],
        segments,
        pageLimit,
        (items) => {
          onPage(
            items.map((item) => {
              const key = keyOf(item, 'pk');
              return {
                user_id: readString(item, 'pk', tables.creditCache, key),
                available: readInteger(item, 'available', tables.creditCache, key),
                version:
                  item.version === undefined
                    ? 0
                    : readInteger(item, 'version', tables.creditCache, key),
              };
            }),
          );
        },
      ),

    eachDepositEventPage: (segments, onPage) =>
      parallelScan(
        client,
        tables.depositEvents,
        ['pk', 'partner_id', 'user_id', 'amount'],
        segments,
        pageLimit,
        (items) => {
          onPage(
            items.map((item) => {
              const key = keyOf(item, 'pk');
              return {
                deposit_id: readString(item, 'pk', tables.depositEvents, key),
                user_id: scopedKey(
                  readString(item, 'partner_id', tables.depositEvents, key),
                  readString(item, 'user_id', tables.depositEvents, key),
                ),
                amount: readInteger(item, 'amount', tables.depositEvents, key),
              };
            }),
          );
        },
      ),

    // One Query per shard of the index key, in parallel (see unsettledShardKey).
    async eachUnsettledDecisionPage(onPage) {
      await Promise.all(unsettledShardKeys.map((shard) => queryUnsettledShard(shard, onPage)));
    },
  };

  async function queryUnsettledShard(
    shard: string,
    onPage: (decisions: UnsettledDecision[]) => void,
  ): Promise<void> {
    const table = tables.transactionLog;
    let startKey: Item | undefined;
    do {
      const page = await client.send(
        new QueryCommand({
          TableName: table,
          IndexName: UNSETTLED_INDEX,
          KeyConditionExpression: '#state = :pending',
          ...withStateName(
            projection(['pk', 'partner_id', 'user_id', 'amount', 'status', 'decided_at']),
          ),
          ExpressionAttributeValues: { ':pending': { S: shard } },
          Limit: pageLimit,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      const items = page.Items ?? [];
      if (items.length > 0) {
        onPage(
          items.map((item) => {
            const key = keyOf(item, 'pk');
            const status = decisionStatusSchema.safeParse(item.status?.S);
            if (!status.success)
              throw unreadable(
                table,
                key,
                `status is not PERMITTED or REJECTED (${item.status?.S ?? 'absent'})`,
              );
            return {
              // Named by scoped keys (`partner#id`), as reconciliation names everything.
              transaction_id: readString(item, 'pk', table, key),
              user_id: scopedKey(
                readString(item, 'partner_id', table, key),
                readString(item, 'user_id', table, key),
              ),
              status: status.data,
              amount: readInteger(item, 'amount', table, key),
              decided_at: readString(item, 'decided_at', table, key),
            };
          }),
        );
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
  }
};
