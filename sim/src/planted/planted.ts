import {
  UpdateItemCommand,
  type DynamoDBClient,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { TableNames } from '@creditline/adapters/definitions';
import type { BusEvent, DepositLedger, EventPublisher } from '@creditline/domain';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { currentScope } from '../faults/scope.js';

/**
 * Defects planted on purpose, to prove the checker can fail. Each lives here, in a test-only
 * copy of the adapter behaviour it breaks (a client middleware or a port wrapper), behind a
 * flag: the real adapters are never touched. Planted defects are key-shape agnostic, so they keep
 * working as the stores' keys change.
 * - double-credit: the deposit ledger credits the account item a second time for one batch in
 *   ten (the ADD of its transaction, sent again on its own);
 * - lost-publication: the Pipe drops the TransactionDecided of one decision in twenty;
 * - overspend: the account item's condition is disabled (OR'd with a tautology), so concurrent
 *   holds all commit;
 * - cross-tenant-read: (once tenancy is on main) a read of a decision goes to another partner's key.
 */
export const plantedDefects = [
  'double-credit',
  'lost-publication',
  'overspend',
  'cross-tenant-read',
] as const;
export type PlantedDefect = (typeof plantedDefects)[number];

export interface Planted {
  readonly defects: ReadonlySet<PlantedDefect>;
  instrumentDynamoDb(client: DynamoDBClient, tables: TableNames): void;
  wrapDepositLedger(
    doc: DynamoDBDocumentClient,
    tables: TableNames,
  ): ((ledger: DepositLedger) => DepositLedger) | undefined;
  wrapPipePublisher(publisher: EventPublisher): EventPublisher;
}

type Next = (args: { input: Record<string, unknown> }) => Promise<unknown>;
interface UpdateShape {
  TableName?: string;
  ConditionExpression?: string;
  UpdateExpression?: string;
  Key?: unknown;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, unknown>;
}

/** `attribute_not_exists(x) OR (...)` is true whatever the item: the condition no longer guards. */
const disabled = (condition: string): string =>
  `attribute_not_exists(sim_planted_never) OR (${condition})`;

/**
 * A guarded write that takes from `available`: either `available - :x` (a SET), or an
 * `ADD <available> :v` whose value is negative (the account operation's shape, names and values
 * behind placeholders, values still marshalled).
 */
const debitsAvailable = (update: UpdateShape, creditCache: string): boolean => {
  if (update.TableName !== creditCache || typeof update.ConditionExpression !== 'string')
    return false;
  const expression = update.UpdateExpression ?? '';
  if (/available\s*-/.test(expression)) return true;
  const availableNames = Object.entries(update.ExpressionAttributeNames ?? {})
    .filter(([, attribute]) => attribute === 'available')
    .map(([placeholder]) => placeholder);
  return availableNames.some((placeholder) => {
    const match = new RegExp(`${placeholder}\\s+(:[A-Za-z0-9_]+)`).exec(expression);
    const operand = match?.[1] ? update.ExpressionAttributeValues?.[match[1]] : undefined;
    const number = (operand as { N?: string } | undefined)?.N;
    return number !== undefined && Number(number) < 0;
  });
};

const creditsAvailable = (update: UpdateShape, creditCache: string): boolean =>
  update.TableName === creditCache &&
  /ADD\s+available|available\s*\+/.test(update.UpdateExpression ?? '');

const hash = (text: string): number => {
  let value = 0;
  for (let index = 0; index < text.length; index += 1)
    value = (Math.imul(value, 31) + text.charCodeAt(index)) >>> 0;
  return value;
};

export const createPlanted = (
  defects: readonly PlantedDefect[],
  partnerIds: readonly string[] = [],
): Planted => {
  const active = new Set(defects);
  let ledgerTransactions = 0;
  return {
    defects: active,
    instrumentDynamoDb(client, tables) {
      if (
        !active.has('overspend') &&
        !active.has('double-credit') &&
        !active.has('cross-tenant-read')
      )
        return;
      const middleware =
        (next: Next, context: { commandName?: string }) =>
        async (args: { input: Record<string, unknown> }) => {
          const command = context.commandName ?? '';
          if (active.has('cross-tenant-read') && command === 'GetItemCommand') {
            // A read built with the wrong partner in its key: the second partner's API reads go
            // to the first partner's item of the same id.
            const scope = currentScope()?.label ?? '';
            const key = args.input['Key'] as Record<string, { S?: string }> | undefined;
            const pk = key?.['pk']?.S;
            const [victim, reader] = partnerIds;
            if (
              reader &&
              victim &&
              pk?.startsWith(`${reader}#`) &&
              /^(op\d+:(read|balance|probe)|final:)/.test(scope)
            ) {
              args = {
                ...args,
                input: {
                  ...args.input,
                  Key: { ...key, pk: { S: `${victim}#${pk.slice(reader.length + 1)}` } },
                },
              };
            }
          }
          if (active.has('overspend')) {
            if (
              command === 'UpdateItemCommand' &&
              debitsAvailable(args.input, tables.creditCache)
            ) {
              const input = args.input as UpdateShape;
              args = {
                ...args,
                input: {
                  ...args.input,
                  ConditionExpression: disabled(input.ConditionExpression ?? ''),
                },
              };
            }
            if (command === 'TransactWriteItemsCommand') {
              const items =
                (args.input['TransactItems'] as { Update?: UpdateShape }[] | undefined) ?? [];
              args = {
                ...args,
                input: {
                  ...args.input,
                  TransactItems: items.map((item) =>
                    item.Update && debitsAvailable(item.Update, tables.creditCache)
                      ? {
                          ...item,
                          Update: {
                            ...item.Update,
                            ConditionExpression: disabled(item.Update.ConditionExpression ?? ''),
                          },
                        }
                      : item,
                  ),
                },
              };
            }
          }
          const result = await next(args);
          if (active.has('double-credit') && command === 'TransactWriteItemsCommand') {
            const items =
              (args.input['TransactItems'] as { Update?: UpdateShape }[] | undefined) ?? [];
            const credits = items.flatMap((item) =>
              item.Update && creditsAvailable(item.Update, tables.creditCache) ? [item.Update] : [],
            );
            if (credits.length > 0) {
              ledgerTransactions += 1;
              if (ledgerTransactions % 10 === 3) {
                const first = credits[0] as UpdateShape;
                await client.send(new UpdateItemCommand({ ...(first as UpdateItemCommandInput) }));
              }
            }
          }
          return result;
        };
      client.middlewareStack.add(middleware as never, {
        step: 'serialize',
        name: 'simPlantedDefects',
        priority: 'high',
      });
    },
    wrapDepositLedger: () => undefined,
    wrapPipePublisher(publisher) {
      if (!active.has('lost-publication')) return publisher;
      return {
        publish: (events: readonly BusEvent[]) =>
          publisher.publish(
            events.filter((event) => {
              const id = (event.detail as { transaction_id?: string } | null)?.transaction_id ?? '';
              return hash(id) % 20 !== 7;
            }),
          ),
      };
    },
  };
};
