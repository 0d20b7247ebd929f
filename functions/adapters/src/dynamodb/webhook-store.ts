import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { deliveryAttemptSchema, deliveryStateSchema, identifierSchema, isoTimestampSchema, type DeliveryAttempt, type DeliveryState } from '@creditline/domain';
import { z } from 'zod';
import { webhooksTable } from '../definitions/tables.js';
import { mapDynamoDbError } from './dynamodb-errors.js';

/**
 * The Webhooks table: one item per delivery (one webhook: a transaction's callback or a balance
 * crossing's, its attempts and its schedule) and one per endpoint (a partner's callback URL: its
 * failure streak, disabled or not). Every write is one conditional UpdateItem on one item.
 *
 * A delivery is keyed by its webhook-id, which is the same on every attempt and for every
 * duplicate of the event that asked for it (a decision's is its transaction_id), so the first
 * attempt's claim (`attribute_not_exists(pk)`) is also what makes a duplicate event one delivery.
 *
 * A delivery's attempts are fenced by `attempt_count`: a message for attempt n claims it only
 * while the count is n − 1 (or when it already holds the claim: SQS delivered that same
 * message again), so two messages for one attempt (a chain that forked when a send succeeded
 * and the delete did not) cannot both send.
 */
const FAILED_INDEX = webhooksTable.globalIndexes[0].name;
const terminal: readonly DeliveryState[] = ['FAILED', 'ENDPOINT_DISABLED'];

export const deliveryItemSchema = z.object({
  pk: z.string(),
  partner_id: z.string(),
  /** A decision's callback only (GET /v1/transactions/{id}/deliveries reads it by this id). */
  transaction_id: identifierSchema.optional(),
  webhook_id: z.string(),
  url: z.string(),
  endpoint: z.string(),
  state: deliveryStateSchema,
  attempt_count: z.number().int().nonnegative(),
  claimed_by: z.string().nullable(),
  attempts: z.array(deliveryAttemptSchema),
  next_attempt_at: isoTimestampSchema.nullable(),
  /** The event detail (TransactionDecided, BalanceLow or BalanceRestored): what a replay sends again. */
  detail: z.record(z.string(), z.unknown()),
  created_at: isoTimestampSchema,
  failed_at: isoTimestampSchema.optional(),
});
export type DeliveryItem = z.infer<typeof deliveryItemSchema>;

export const endpointItemSchema = z.object({
  partner_id: z.string(),
  url: z.string(),
  state: z.enum(['ENABLED', 'DISABLED']),
  consecutive_failures: z.number().int().nonnegative(),
  failing_since: isoTimestampSchema.nullable(),
  disabled_at: isoTimestampSchema.nullable(),
  disabled_reason: z.string().nullable(),
});
export type EndpointItem = z.infer<typeof endpointItemSchema>;

export const deliveryKey = (partnerId: string, webhookId: string): string => `delivery#${partnerId}#${webhookId}`;
export const endpointKey = (partnerId: string, url: string): string => `endpoint#${partnerId}#${url}`;

/** An endpoint is its URL without query or fragment: what a partner configures and what fails together. */
export const endpointOf = (callbackUrl: string): string => {
  const url = new URL(callbackUrl);
  return `${url.origin}${url.pathname}`;
};

export interface ClaimRequest {
  readonly partnerId: string;
  /** The delivery's key: a decision's webhook-id is its transaction_id. */
  readonly webhookId: string;
  /** A decision's callback only: stored, so GET /v1/transactions/{id}/deliveries finds it. */
  readonly transactionId?: string;
  readonly attempt: number;
  /** The SQS message carrying this attempt. */
  readonly messageId: string;
  readonly url: string;
  readonly detail: Readonly<Record<string, unknown>>;
  readonly at: string;
}

/**
 * - claimed: send attempt n;
 * - recorded: this very message already sent attempt n and recorded it (it was delivered again
 *   after a crash): only its follow-up, `next_attempt_at`, remains to schedule;
 * - stale: another message owns this attempt, or the delivery is done with.
 */
export type Claim =
  | { readonly kind: 'claimed' }
  | { readonly kind: 'recorded'; readonly item: DeliveryItem }
  | { readonly kind: 'stale'; readonly item: DeliveryItem | undefined };

export interface AttemptResult {
  readonly partnerId: string;
  readonly webhookId: string;
  readonly attempt: DeliveryAttempt;
  readonly state: DeliveryState;
  readonly nextAttemptAt: string | null;
}

export interface WebhookStore {
  claim(request: ClaimRequest): Promise<Claim>;
  record(result: AttemptResult): Promise<void>;
  /** Strongly consistent; a decision's delivery is found by its transaction_id (its webhook-id). */
  delivery(partnerId: string, webhookId: string): Promise<DeliveryItem | undefined>;
  /** Deliveries of a partner that failed for good at or after `since`, oldest first. */
  failedSince(partnerId: string, since: string): Promise<DeliveryItem[]>;
  /** FAILED or ENDPOINT_DISABLED → PENDING, if still so and still at `attemptCount`: false when someone else got there first. */
  reopen(item: DeliveryItem, at: string): Promise<boolean>;
  endpoint(partnerId: string, url: string): Promise<EndpointItem>;
  endpointSucceeded(partnerId: string, url: string): Promise<void>;
  /** Counts a failure; the endpoint record after it. */
  endpointFailed(partnerId: string, url: string, at: string): Promise<EndpointItem>;
  /** True when this call disabled it (it was enabled). */
  disableEndpoint(partnerId: string, url: string, at: string, reason: string): Promise<boolean>;
  enableEndpoint(partnerId: string, url: string): Promise<void>;
}

const enabledEndpoint = (partnerId: string, url: string): EndpointItem => ({
  partner_id: partnerId,
  url,
  state: 'ENABLED',
  consecutive_failures: 0,
  failing_since: null,
  disabled_at: null,
  disabled_reason: null,
});

export const createWebhookStore = (doc: DynamoDBDocumentClient, tableName: string): WebhookStore => {
  const send = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) throw error;
      throw mapDynamoDbError(error, `${operation} on ${tableName}`);
    }
  };
  const parseDelivery = (item: unknown): DeliveryItem | undefined => (item === undefined ? undefined : deliveryItemSchema.parse(item));
  const parseEndpoint = (partnerId: string, url: string, item: Record<string, unknown> | undefined): EndpointItem =>
    item === undefined ? enabledEndpoint(partnerId, url) : endpointItemSchema.parse({ ...enabledEndpoint(partnerId, url), ...item });

  const delivery = async (partnerId: string, webhookId: string) => {
    const { Item } = await send('GetItem', () => doc.send(new GetCommand({ TableName: tableName, Key: { pk: deliveryKey(partnerId, webhookId) }, ConsistentRead: true })));
    return parseDelivery(Item);
  };

  return {
    async claim(request) {
      const { partnerId, webhookId, transactionId, attempt, messageId } = request;
      try {
        const { Attributes } = await send('UpdateItem', () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: deliveryKey(partnerId, webhookId) },
              UpdateExpression: [
                'SET attempt_count = :n, claimed_by = :message, #state = :pending',
                'partner_id = if_not_exists(partner_id, :partner)',
                ...(transactionId === undefined ? [] : ['transaction_id = if_not_exists(transaction_id, :tx)']),
                'webhook_id = if_not_exists(webhook_id, :id), #url = if_not_exists(#url, :url), endpoint = if_not_exists(endpoint, :endpoint)',
                'attempts = if_not_exists(attempts, :none), next_attempt_at = if_not_exists(next_attempt_at, :null)',
                'detail = if_not_exists(detail, :detail), created_at = if_not_exists(created_at, :at)',
              ].join(', '),
              ConditionExpression:
                attempt === 1
                  ? 'attribute_not_exists(pk) OR claimed_by = :message'
                  : '(attempt_count = :previous AND #state = :pending) OR claimed_by = :message',
              ExpressionAttributeNames: { '#state': 'state', '#url': 'url' },
              ExpressionAttributeValues: {
                ':n': attempt,
                ':message': messageId,
                ':pending': 'PENDING',
                ':partner': partnerId,
                ':id': webhookId,
                ...(transactionId === undefined ? {} : { ':tx': transactionId }),
                ':url': request.url,
                ':endpoint': endpointOf(request.url),
                ':none': [],
                ':null': null,
                ':detail': request.detail,
                ':at': request.at,
                ...(attempt === 1 ? {} : { ':previous': attempt - 1 }),
              },
              ReturnValues: 'ALL_OLD',
              ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
            }),
          ),
        );
        const old = parseDelivery(Attributes);
        if (old?.claimed_by === messageId && old.attempts.some((entry) => entry.attempt === attempt)) return { kind: 'recorded', item: old };
        return { kind: 'claimed' };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return { kind: 'stale', item: await delivery(partnerId, webhookId) };
      }
    },

    async record({ partnerId, webhookId, attempt, state, nextAttemptAt }) {
      const failed = terminal.includes(state);
      await send('UpdateItem', () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: deliveryKey(partnerId, webhookId) },
            UpdateExpression: [
              'SET attempts = list_append(attempts, :attempt), #state = :state, next_attempt_at = :next',
              ...(failed ? ['failed_partner = :partner, failed_at = :at'] : []),
            ].join(', ') + (failed ? '' : ' REMOVE failed_partner, failed_at'),
            ConditionExpression: 'attempt_count = :n',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':attempt': [attempt],
              ':state': state,
              ':next': nextAttemptAt,
              ':n': attempt.attempt,
              ...(failed ? { ':partner': partnerId, ':at': attempt.at } : {}),
            },
          }),
        ),
      );
    },

    delivery,

    async failedSince(partnerId, since) {
      const keys: string[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await send('Query', () =>
          doc.send(
            new QueryCommand({
              TableName: tableName,
              IndexName: FAILED_INDEX,
              KeyConditionExpression: 'failed_partner = :partner AND failed_at >= :since',
              ExpressionAttributeValues: { ':partner': partnerId, ':since': since },
              ...(start ? { ExclusiveStartKey: start } : {}),
            }),
          ),
        );
        for (const item of page.Items ?? []) keys.push(String(item['pk']));
        start = page.LastEvaluatedKey;
      } while (start);
      const items = await Promise.all(keys.map(async (pk) => {
        const { Item } = await send('GetItem', () => doc.send(new GetCommand({ TableName: tableName, Key: { pk }, ConsistentRead: true })));
        return parseDelivery(Item);
      }));
      return items.filter((item): item is DeliveryItem => item !== undefined && terminal.includes(item.state));
    },

    async reopen(item, at) {
      try {
        await send('UpdateItem', () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: item.pk },
              UpdateExpression: 'SET #state = :pending, next_attempt_at = :at REMOVE failed_partner, failed_at',
              ConditionExpression: '#state IN (:failed, :disabled) AND attempt_count = :n',
              ExpressionAttributeNames: { '#state': 'state' },
              ExpressionAttributeValues: { ':pending': 'PENDING', ':at': at, ':failed': 'FAILED', ':disabled': 'ENDPOINT_DISABLED', ':n': item.attempt_count },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async endpoint(partnerId, url) {
      const { Item } = await send('GetItem', () => doc.send(new GetCommand({ TableName: tableName, Key: { pk: endpointKey(partnerId, url) } })));
      return parseEndpoint(partnerId, url, Item);
    },

    async endpointSucceeded(partnerId, url) {
      await send('UpdateItem', () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: endpointKey(partnerId, url) },
            UpdateExpression: 'SET consecutive_failures = :zero, partner_id = :partner, #url = :url REMOVE failing_since',
            ExpressionAttributeNames: { '#url': 'url' },
            ExpressionAttributeValues: { ':zero': 0, ':partner': partnerId, ':url': url },
          }),
        ),
      );
    },

    async endpointFailed(partnerId, url, at) {
      const { Attributes } = await send('UpdateItem', () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: endpointKey(partnerId, url) },
            UpdateExpression: 'SET failing_since = if_not_exists(failing_since, :at), partner_id = :partner, #url = :url ADD consecutive_failures :one',
            ExpressionAttributeNames: { '#url': 'url' },
            ExpressionAttributeValues: { ':at': at, ':one': 1, ':partner': partnerId, ':url': url },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      );
      return parseEndpoint(partnerId, url, Attributes);
    },

    async disableEndpoint(partnerId, url, at, reason) {
      try {
        await send('UpdateItem', () =>
          doc.send(
            new UpdateCommand({
              TableName: tableName,
              Key: { pk: endpointKey(partnerId, url) },
              UpdateExpression: 'SET #state = :disabled, disabled_at = :at, disabled_reason = :reason, partner_id = :partner, #url = :url',
              ConditionExpression: 'attribute_not_exists(#state) OR #state <> :disabled',
              ExpressionAttributeNames: { '#state': 'state', '#url': 'url' },
              ExpressionAttributeValues: { ':disabled': 'DISABLED', ':at': at, ':reason': reason, ':partner': partnerId, ':url': url },
            }),
          ),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },

    async enableEndpoint(partnerId, url) {
      await send('UpdateItem', () =>
        doc.send(
          new UpdateCommand({
            TableName: tableName,
            Key: { pk: endpointKey(partnerId, url) },
            UpdateExpression: 'SET #state = :enabled, consecutive_failures = :zero, partner_id = :partner, #url = :url REMOVE failing_since, disabled_at, disabled_reason',
            ExpressionAttributeNames: { '#state': 'state', '#url': 'url' },
            ExpressionAttributeValues: { ':enabled': 'ENABLED', ':zero': 0, ':partner': partnerId, ':url': url },
          }),
        ),
      );
    },
  };
};
