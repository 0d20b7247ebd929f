import * as aws from '@pulumi/aws';
import * as pulumi from '@pulumi/pulumi';
import { tables, type TableDefinition, type TableNames } from '@creditline/adapters/definitions';
import type { Naming } from '../lib/naming.js';
import { dataKeyPolicy } from '../lib/key-policy.js';
import { tlsOnlyBucketPolicy, toJson } from '../lib/policies.js';
import { replaceSafeName, tableForceNewInputs } from '../lib/replace-safe.js';
import {
  auditObjectLock,
  bucketKinds,
  lifecycleRules,
  type BucketKind,
} from '../lib/storage.js';

export interface DataStoresArgs {
  readonly naming: Naming;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly deletionProtection: boolean;
  readonly auditRetentionDays: number;
}

type TableKey = keyof TableNames;

const tableKey: Readonly<Record<string, TableKey>> = {
  CreditCache: 'creditCache',
  DepositEvents: 'depositEvents',
  TransactionLog: 'transactionLog',
  Webhooks: 'webhooks',
};

/** Key attributes of the table and of its indexes, each once. */
export const tableAttributes = (definition: TableDefinition): { name: string; type: string }[] => {
  const keys = [
    definition.partitionKey,
    ...definition.globalIndexes.flatMap((index) => [
      index.partitionKey,
      ...(index.sortKey ? [index.sortKey] : []),
    ]),
  ];
  const seen = new Map<string, string>();
  for (const key of keys) seen.set(key.name, key.type);
  return [...seen].map(([name, type]) => ({ name, type }));
};

/**
 * The data stores: the customer-managed KMS key every store of the stack is encrypted with
 * (its policy in `key-policy.ts`; protected where data is), the three DynamoDB tables from the
 * shared definitions and the three buckets. PITR and versioning on, public access blocked, TLS
 * required, deletion protection as configured; the audit bucket under Object Lock.
 */
export class DataStores extends pulumi.ComponentResource {
  readonly key: aws.kms.Key;
  readonly tables: Readonly<Record<TableKey, aws.dynamodb.Table>>;
  readonly buckets: Readonly<Record<BucketKind, aws.s3.Bucket>>;

  constructor(name: string, args: DataStoresArgs, opts?: pulumi.ComponentResourceOptions) {
    super('creditline:data:DataStores', name, {}, opts);
    const parent = { parent: this };
    const { naming } = args;

    this.key = new aws.kms.Key(
      'data',
      {
        description: `${naming.prefix}data: every store of the stack`,
        enableKeyRotation: true,
        deletionWindowInDays: args.deletionProtection ? 30 : 7,
        policy: pulumi
          .output(args.accountId)
          .apply((accountId) => toJson(dataKeyPolicy({ accountId, region: args.region }))),
      },
      // Losing the key loses every store: where data is protected, so is the key.
      { ...parent, protect: args.deletionProtection },
    );
    new aws.kms.Alias(
      'data',
      { name: `alias/${naming.name('data')}`, targetKeyId: this.key.keyId },
      parent,
    );

    const created: Partial<Record<TableKey, aws.dynamodb.Table>> = {};
    for (const definition of tables as readonly TableDefinition[]) {
      const key = tableKey[definition.logicalName];
      if (!key) throw new Error(`no physical name for table ${definition.logicalName}`);
      created[key] = new aws.dynamodb.Table(
        definition.logicalName,
        {
          // Key schema changes replace a table: the name follows them, so the replacement is
          // created beside the old table instead of colliding with it.
          name: replaceSafeName(naming.tables[key], tableForceNewInputs(definition)),
          billingMode: 'PAY_PER_REQUEST',
          hashKey: definition.partitionKey.name,
          attributes: tableAttributes(definition),
          globalSecondaryIndexes: definition.globalIndexes.map((index) => ({
            name: index.name,
            keySchemas: [
              { attributeName: index.partitionKey.name, keyType: 'HASH' },
              ...(index.sortKey ? [{ attributeName: index.sortKey.name, keyType: 'RANGE' }] : []),
            ],
            projectionType: index.projection.type,
            ...(index.projection.type === 'INCLUDE'
              ? { nonKeyAttributes: [...index.projection.attributes] }
              : {}),
          })),
          pointInTimeRecovery: { enabled: true },
          serverSideEncryption: { enabled: true, kmsKeyArn: this.key.arn },
          deletionProtectionEnabled: args.deletionProtection,
          ...(definition.stream ? { streamEnabled: true, streamViewType: definition.stream } : {}),
        },
        { ...parent, protect: args.deletionProtection },
      );
    }
    const { creditCache, depositEvents, transactionLog, webhooks } = created;
    if (!creditCache || !depositEvents || !transactionLog || !webhooks)
      throw new Error('the shared definitions must define the four tables');
    this.tables = { creditCache, depositEvents, transactionLog, webhooks };

    const buckets = {} as Record<BucketKind, aws.s3.Bucket>;
    for (const kind of bucketKinds) {
      buckets[kind] = this.bucket(kind, args);
    }
    this.buckets = buckets;

    this.registerOutputs({
      keyArn: this.key.arn,
      tableNames: pulumi.all([creditCache.name, depositEvents.name, transactionLog.name, webhooks.name]),
      bucketNames: pulumi.all(bucketKinds.map((kind) => buckets[kind].bucket)),
    });
  }

  private bucket(kind: BucketKind, args: DataStoresArgs): aws.s3.Bucket {
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(
      kind,
      {
        bucket: pulumi
          .output(args.accountId)
          .apply((accountId) => args.naming.bucket(kind, accountId)),
        forceDestroy: !args.deletionProtection,
        ...(kind === 'audit' ? { objectLockEnabled: true } : {}),
      },
      { ...parent, protect: args.deletionProtection },
    );
    const owned = { parent: bucket };
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      kind,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      owned,
    );
    new aws.s3.BucketOwnershipControls(
      kind,
      { bucket: bucket.id, rule: { objectOwnership: 'BucketOwnerEnforced' } },
      owned,
    );
    const versioning = new aws.s3.BucketVersioning(
      kind,
      { bucket: bucket.id, versioningConfiguration: { status: 'Enabled' } },
      owned,
    );
    if (kind === 'audit') {
      const lock = auditObjectLock(args);
      new aws.s3.BucketObjectLockConfiguration(
        kind,
        {
          bucket: bucket.id,
          objectLockEnabled: 'Enabled',
          rule: { defaultRetention: { mode: lock.mode, days: lock.days } },
        },
        { ...owned, dependsOn: [versioning] },
      );
    }
    new aws.s3.BucketServerSideEncryptionConfiguration(
      kind,
      {
        bucket: bucket.id,
        rules: [
          {
            applyServerSideEncryptionByDefault: {
              sseAlgorithm: 'aws:kms',
              kmsMasterKeyId: this.key.arn,
            },
            bucketKeyEnabled: true,
          },
        ],
      },
      owned,
    );
    new aws.s3.BucketPolicy(
      kind,
      { bucket: bucket.id, policy: bucket.arn.apply((arn) => toJson(tlsOnlyBucketPolicy(arn))) },
      { ...owned, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      kind,
      {
        bucket: bucket.id,
        rules: lifecycleRules(kind, { auditRetentionDays: args.auditRetentionDays }).map(
          ({ transitions, ...rule }) => ({
            ...rule,
            ...(transitions ? { transitions: [...transitions] } : {}),
          }),
        ),
      },
      owned,
    );
    return bucket;
  }
}
