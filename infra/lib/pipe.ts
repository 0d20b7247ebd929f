import { detailTypes, eventSources, transactionLogTable } from '@creditline/adapters/definitions';

/**
 * The outbox Pipe: TransactionLog stream → bus. Only INSERTs are published (one per decision;
 * the TransactionLogger's and CallbackDispatcher's later UPDATEs are not decisions), and the
 * input template turns the item's NewImage (DynamoDB JSON) into the TransactionDecided detail.
 *
 * The mapping is data (`transactionDecidedFields`) so that the stream→event mapping the
 * adapters will own (`functions/adapters/src/outbox/`) can replace it without touching infra.
 */
export interface DetailField {
  /** Field of the TransactionDecided detail. */
  readonly field: string;
  /** Attribute of the TransactionLog item. */
  readonly attribute: string;
  readonly type: 'S' | 'N';
  /** Not on every item (a missing attribute renders as an empty string, see README). */
  readonly optional: boolean;
}

export const transactionDecidedFields: readonly DetailField[] = [
  { field: 'transaction_id', attribute: 'transaction_id', type: 'S', optional: false },
  { field: 'user_id', attribute: 'user_id', type: 'S', optional: false },
  { field: 'amount', attribute: 'amount', type: 'N', optional: false },
  { field: 'currency', attribute: 'currency', type: 'S', optional: true },
  { field: 'status', attribute: 'status', type: 'S', optional: false },
  { field: 'reason', attribute: 'reason', type: 'S', optional: true },
  { field: 'remaining_credit', attribute: 'remaining_credit', type: 'N', optional: false },
  { field: 'decided_at', attribute: 'decided_at', type: 'S', optional: false },
  { field: 'callback_url', attribute: 'callback_url', type: 'S', optional: true },
  { field: 'partner_id', attribute: 'partner_id', type: 'S', optional: true },
];

/** Pipes filter: new items only. */
export const outboxFilterPattern = (): string => JSON.stringify({ eventName: ['INSERT'] });

const imagePath = (field: DetailField): string => `$.dynamodb.NewImage.${field.attribute}.${field.type}`;

/**
 * Strings are quoted, numbers (DynamoDB `N`, a decimal string) are not, so the detail carries
 * integer cents as JSON numbers.
 */
export const outboxInputTemplate = (fields: readonly DetailField[] = transactionDecidedFields): string => {
  const parts = fields.map((field) =>
    field.type === 'N' ? `"${field.field}": <${imagePath(field)}>` : `"${field.field}": "<${imagePath(field)}>"`,
  );
  return `{${parts.join(', ')}}`;
};

export const outboxTarget = {
  source: eventSources.authorization,
  detailType: detailTypes.transactionDecided,
} as const;

/** Only TransactionLog has a stream; its definition says which view. */
export const outboxStreamViewType = transactionLogTable.stream;

const readPath = (root: unknown, path: string): unknown => {
  let current: unknown = root;
  for (const key of path.replace(/^\$\./, '').split('.')) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
};

/**
 * What Pipes does with a template, for present paths: substitute each `<$.path>` with the
 * value found there. Missing paths render empty. Used to unit test the template.
 */
export const applyInputTemplate = (template: string, record: unknown): string =>
  template.replace(/<(\$\.[A-Za-z0-9_.-]+)>/g, (_match, path: string) => {
    const value = readPath(record, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  });

/** Applies the filter (eventName only) the way Pipes would. */
export const passesOutboxFilter = (record: { readonly eventName?: string }): boolean => {
  const filter = JSON.parse(outboxFilterPattern()) as { eventName: string[] };
  return record.eventName !== undefined && filter.eventName.includes(record.eventName);
};
