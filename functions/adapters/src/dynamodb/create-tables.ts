import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { tables, type LogicalTableName, type TableDefinition, type TableNames } from '../definitions/tables.js';

/** The CreateTable request for a shared table definition (local runtime and tests). */
export const createTableInput = (definition: TableDefinition, tableName: string): CreateTableCommandInput => {
  const attributes = new Map<string, 'S' | 'N'>([[definition.partitionKey.name, definition.partitionKey.type]]);
  for (const index of definition.globalIndexes) {
    attributes.set(index.partitionKey.name, index.partitionKey.type);
    if (index.sortKey) attributes.set(index.sortKey.name, index.sortKey.type);
  }
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: [{ AttributeName: definition.partitionKey.name, KeyType: 'HASH' }],
    ...(definition.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: definition.globalIndexes.map((index) => ({
            IndexName: index.name,
            KeySchema: [
              { AttributeName: index.partitionKey.name, KeyType: 'HASH' as const },
              ...(index.sortKey ? [{ AttributeName: index.sortKey.name, KeyType: 'RANGE' as const }] : []),
            ],
            Projection:
              index.projection.type !== 'INCLUDE'
                ? { ProjectionType: index.projection.type }
                : { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...index.projection.attributes] },
          })),
        }
      : {}),
    ...(definition.stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: definition.stream } } : {}),
  };
};

/** Creates the table unless it exists (state under `.data/` survives restarts). */
export const ensureTable = async (client: DynamoDBClient, definition: TableDefinition, tableName: string): Promise<void> => {
  try {
    await client.send(new CreateTableCommand(createTableInput(definition, tableName)));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) throw error;
  }
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`table ${tableName} did not become ACTIVE`);
};

/** Creates the tables (unless they exist) under the physical names of one environment. */
export const ensureTables = async (client: DynamoDBClient, names: TableNames): Promise<void> => {
  const physical: Record<LogicalTableName, string> = {
    CreditCache: names.creditCache,
    DepositEvents: names.depositEvents,
    TransactionLog: names.transactionLog,
    Webhooks: names.webhooks,
  };
  await Promise.all(tables.map((definition) => ensureTable(client, definition, physical[definition.logicalName])));
};
