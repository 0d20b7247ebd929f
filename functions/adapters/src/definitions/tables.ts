/**
 * The DynamoDB tables, defined once as data. `infra/` turns them into aws.dynamodb.Table
 * resources and the local runtime and test harness into CreateTable calls, so the laptop and
 * the cloud cannot drift apart.
 */
import { accountKeyAttribute, partitionKeyAttribute } from './tenancy.js';

export interface KeyAttribute {
  readonly name: string;
  readonly type: 'S' | 'N';
}

export interface GlobalIndexDefinition {
  readonly name: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** ALL, or INCLUDE with the attributes a query on the index needs. */
  readonly projection:
    | { readonly type: 'ALL' | 'KEYS_ONLY' }
    | { readonly type: 'INCLUDE'; readonly attributes: readonly string[] };
}

export interface TableDefinition {
  /** Logical name: the physical name is `${prefix}${logicalName}`. */
  readonly logicalName: string;
  readonly partitionKey: KeyAttribute;
  readonly globalIndexes: readonly GlobalIndexDefinition[];
  readonly stream?: 'NEW_IMAGE' | 'NEW_AND_OLD_IMAGES';
}

/**
 * Every table is keyed by `pk` = `partner#id` (see tenancy.ts); the items also carry
 * `partner_id` and the plain id.
 */
const scopedPartitionKey = {
  name: partitionKeyAttribute,
  type: 'S',
} as const satisfies KeyAttribute;

/**
 * CreditCache: one item per (partner, user) account, the real-time available and pending
 * figures; every money operation is one conditional UpdateItem on it. Its stream is the journal
 * of holds: each operation's `last_op` stamp, which the hold journal reads to finalize or give
 * back a hold whose decision was not recorded (docs/commit.md).
 */
export const creditCacheTable = {
  logicalName: 'CreditCache',
  partitionKey: scopedPartitionKey,
  globalIndexes: [],
  stream: 'NEW_AND_OLD_IMAGES',
} as const satisfies TableDefinition;

/** DepositEvents: append-only, one item per accepted deposit; the key makes a deposit credit once per partner. */
export const depositEventsTable = {
  logicalName: 'DepositEvents',
  partitionKey: scopedPartitionKey,
  globalIndexes: [],
} as const satisfies TableDefinition;

/**
 * TransactionLog: one item per (partner, transaction), claimed then decided. Its stream is the
 * outbox (the CLAIMED → DECIDED change is what is published).
 * - `unsettled`: sparse index. `settlement_state = 'PENDING#nn'` (one of 16 shards, by the
 *   transaction key, so no index partition takes the whole decision rate) is written with every
 *   decision and REMOVEd when the TransactionLogger settles it, so the index holds exactly the
 *   decisions not yet in Aurora (reconciliation queries every shard instead of scanning the log).
 * - `by_user`: a user's decisions in time order, keyed by `account_key` (`partner#user_id`).
 */
export const transactionLogTable = {
  logicalName: 'TransactionLog',
  partitionKey: scopedPartitionKey,
  stream: 'NEW_AND_OLD_IMAGES',
  globalIndexes: [
    {
      name: 'unsettled',
      partitionKey: { name: 'settlement_state', type: 'S' },
      sortKey: { name: 'decided_at', type: 'S' },
      projection: {
        type: 'INCLUDE',
        attributes: [
          'transaction_id',
          'user_id',
          'amount',
          'status',
          'reason',
          'callback_url',
          'partner_id',
        ],
      },
    },
    {
      name: 'by_user',
      partitionKey: { name: accountKeyAttribute, type: 'S' },
      sortKey: { name: 'decided_at', type: 'S' },
      projection: { type: 'ALL' },
    },
  ],
} as const satisfies TableDefinition;

/**
 * Webhooks: the partner-facing state of callbacks, one item per delivery and per endpoint
 * (`pk` = `delivery#<partner>#<transaction_id>` or `endpoint#<partner>#<url>`). A delivery
 * carries its attempt log and its retry schedule; an endpoint its failure streak and whether
 * it is disabled. No stream: nothing downstream consumes it.
 * - `failed`: sparse index of the deliveries that failed for good (`failed_partner` is set
 *   only while one is FAILED or ENDPOINT_DISABLED), by time: what `webhook replay --since` reads.
 */
export const webhooksTable = {
  logicalName: 'Webhooks',
  partitionKey: { name: 'pk', type: 'S' },
  globalIndexes: [
    {
      name: 'failed',
      partitionKey: { name: 'failed_partner', type: 'S' },
      sortKey: { name: 'failed_at', type: 'S' },
      projection: { type: 'KEYS_ONLY' },
    },
  ],
} as const satisfies TableDefinition;

export const tables = [
  creditCacheTable,
  depositEventsTable,
  transactionLogTable,
  webhooksTable,
] as const;

export type LogicalTableName = (typeof tables)[number]['logicalName'];

/** Physical table names for one environment (`creditline-dev-CreditCache`, ...). */
export interface TableNames {
  readonly creditCache: string;
  readonly depositEvents: string;
  readonly transactionLog: string;
  readonly webhooks: string;
}

/** The tables that hold the books (what reconciliation reads and repairs). */
export type BooksTableNames = Omit<TableNames, 'webhooks'>;

export const tableNames = (prefix: string): TableNames => ({
  creditCache: `${prefix}${creditCacheTable.logicalName}`,
  depositEvents: `${prefix}${depositEventsTable.logicalName}`,
  transactionLog: `${prefix}${transactionLogTable.logicalName}`,
  webhooks: `${prefix}${webhooksTable.logicalName}`,
});
