import type { BusEvent } from '@creditline/domain';
import { detailTypes, eventSources } from '../definitions/events.js';
import { transactionLogTable } from '../definitions/tables.js';
import { renderInputTemplate, TemplateRenderError } from './pipe-input-template.js';

/**
 * The outbox mapping: a TransactionLog stream record (INSERT, NewImage) → the TransactionDecided
 * event, defined once as data. `infra/` derives the EventBridge Pipe from it (filter, input
 * template, target source and detail type); the local stream poller applies the same data with
 * `toTransactionDecidedEvent`, so the laptop publishes exactly what the Pipe publishes.
 */
export interface DetailField {
  /** Field of the TransactionDecided detail. */
  readonly field: string;
  /** Attribute of the TransactionLog item. */
  readonly attribute: string;
  /** DynamoDB type of the attribute: `S` renders as a JSON string, `N` as a JSON number. */
  readonly type: 'S' | 'N';
  /**
   * Not on every item (currency, callback_url; reason is NULL on a PERMIT). A
   * missing attribute renders as `""`, which consumers read as absent (see decided-detail.ts).
   * Optional fields must be `S`: a bare missing number would not be JSON.
   */
  readonly optional: boolean;
}

export const transactionDecidedFields = [
  { field: 'transaction_id', attribute: 'transaction_id', type: 'S', optional: false },
  { field: 'user_id', attribute: 'user_id', type: 'S', optional: false },
  { field: 'amount', attribute: 'amount', type: 'N', optional: false },
  { field: 'currency', attribute: 'currency', type: 'S', optional: true },
  { field: 'status', attribute: 'status', type: 'S', optional: false },
  { field: 'reason', attribute: 'reason', type: 'S', optional: true },
  { field: 'remaining_credit', attribute: 'remaining_credit', type: 'N', optional: false },
  { field: 'decided_at', attribute: 'decided_at', type: 'S', optional: false },
  { field: 'callback_url', attribute: 'callback_url', type: 'S', optional: true },
  { field: 'partner_id', attribute: 'partner_id', type: 'S', optional: false },
] as const satisfies readonly DetailField[];

/**
 * Pipes source filter (FilterCriteria pattern): the one change that decides a transaction, its
 * claim turning DECIDED. The claim's INSERT, take-overs (CLAIMED → CLAIMED) and the publication
 * state written later (DECIDED → DECIDED) do not pass, so each decision is published once.
 */
export const outboxFilter = {
  eventName: ['MODIFY'],
  dynamodb: { OldImage: { state: { S: ['CLAIMED'] } }, NewImage: { state: { S: ['DECIDED'] } } },
} as const;
export const outboxFilterPattern: string = JSON.stringify(outboxFilter);

/** A filter pattern as Pipes applies it: nested objects match fields, arrays list allowed values. */
type FilterPattern = { readonly [field: string]: FilterPattern | readonly string[] };

export const matchesFilter = (pattern: FilterPattern, value: unknown): boolean =>
  Object.entries(pattern).every(([field, rule]) => {
    const actual =
      typeof value === 'object' && value !== null
        ? (value as Record<string, unknown>)[field]
        : undefined;
    if (Array.isArray(rule))
      return typeof actual === 'string' && (rule as readonly string[]).includes(actual);
    return matchesFilter(rule as FilterPattern, actual);
  });

/** Target parameters of the Pipe (EventBridge bus target). */
export const outboxTarget = {
  source: eventSources.authorization,
  detailType: detailTypes.transactionDecided,
} as const;

/** The stream view the Pipe reads; the table definition owns it. */
export const outboxStreamViewType = transactionLogTable.stream;

export const newImagePath = (field: DetailField): string =>
  `$.dynamodb.NewImage.${field.attribute}.${field.type}`;

/** The Pipe's target input template, one line, fields in the order above. */
export const renderOutboxInputTemplate = (
  fields: readonly DetailField[] = transactionDecidedFields,
): string => {
  for (const field of fields) {
    if (field.optional && field.type !== 'S')
      throw new Error(`optional field ${field.field} must be a string attribute`);
  }
  const parts = fields.map((field) =>
    field.type === 'N'
      ? `"${field.field}": <${newImagePath(field)}>`
      : `"${field.field}": "<${newImagePath(field)}>"`,
  );
  return `{${parts.join(', ')}}`;
};

export const outboxInputTemplate: string = renderOutboxInputTemplate();

/** A DynamoDB stream record as Pipes (and Lambda) hand it over; only what the mapping reads is typed. */
export interface OutboxStreamRecord {
  readonly eventName?: string;
  readonly dynamodb?: {
    readonly NewImage?: Readonly<Record<string, unknown>>;
    readonly OldImage?: Readonly<Record<string, unknown>>;
  };
}

export const passesOutboxFilter = (record: OutboxStreamRecord): boolean =>
  matchesFilter(outboxFilter, record);

export type OutboxMapping =
  | { readonly kind: 'event'; readonly event: BusEvent<Record<string, unknown>> }
  | { readonly kind: 'filtered' }
  | { readonly kind: 'unpublishable'; readonly reason: string };

/**
 * What the Pipe does with one stream record: filter, render the template, publish as
 * source/detail-type. A record the template cannot render is `unpublishable` (in AWS the
 * Pipe sends it to its dead-letter queue).
 */
export const toTransactionDecidedEvent = (record: OutboxStreamRecord): OutboxMapping => {
  if (!passesOutboxFilter(record)) return { kind: 'filtered' };
  let text: string;
  try {
    text = renderInputTemplate(outboxInputTemplate, record);
  } catch (error) {
    if (error instanceof TemplateRenderError)
      return { kind: 'unpublishable', reason: error.message };
    throw error;
  }
  let detail: Record<string, unknown>;
  try {
    detail = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { kind: 'unpublishable', reason: 'the rendered detail is not JSON' };
  }
  return {
    kind: 'event',
    event: { source: outboxTarget.source, detailType: outboxTarget.detailType, detail },
  };
};
