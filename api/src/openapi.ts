import { apiRoutes, routeKey, type RouteKey } from '@creditline/adapters/definitions';
import { apiErrorStatus } from '@creditline/domain';
import { bodies, events, webhooks } from './catalog.js';
import { toJsonSchema, type JsonSchema } from './json-schema.js';

/**
 * The OpenAPI 3.1 document of the HTTP API, built from the route list the API is deployed
 * from (`@creditline/adapters/definitions`) and the zod schemas of `catalog.ts`. `pnpm
 * api:generate` writes it to `api/openapi.json`; a test keeps the checked-in file equal to it.
 */
type BodyName = keyof typeof bodies;

const ref = (name: BodyName): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const json = (name: BodyName, description: string) => ({
  description,
  content: { 'application/json': { schema: ref(name) } },
});

type ErrorCode = keyof typeof apiErrorStatus;
/** One response per status, naming the error codes a caller can meet under it. */
const errors = (...codes: readonly ErrorCode[]) => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes)
    byStatus.set(apiErrorStatus[code], [...(byStatus.get(apiErrorStatus[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      {
        ...json('Error', `error.code: ${list.join(', ')}`),
        ...(status === 503 || status === 429
          ? {
              headers: {
                'Retry-After': {
                  description: 'Seconds to wait before retrying.',
                  schema: { type: 'integer', minimum: 0 },
                },
              },
            }
          : {}),
      },
    ]),
  );
};

const idParameter = (description: string) => ({
  name: 'id',
  in: 'path',
  required: true,
  description,
  schema: toJsonSchema(bodies.TransactionRequest.schema.shape.transaction_id, 'input'),
});
const etagHeader = {
  description: 'The version of the controls, for the next If-Match.',
  schema: { type: 'string', pattern: '^"[0-9]+"$' },
};

/**
 * On every route: a verified caller that is no partner's gets 403 UNKNOWN_PRINCIPAL (before
 * anything else, even the route, is looked at); a partner over its rate limit 429 with Retry-After.
 */
const common = errors('UNKNOWN_PRINCIPAL', 'RATE_LIMITED', 'SERVICE_UNAVAILABLE', 'INTERNAL_ERROR');

interface Operation {
  readonly operationId: string;
  readonly summary: string;
  readonly description?: string;
  readonly parameters?: readonly unknown[];
  readonly requestBody?: unknown;
  readonly responses: Record<string, unknown>;
}

/** Every deployed route has exactly one operation: a route without one does not typecheck. */
const operations: Record<RouteKey, Operation> = {
  'POST /v1/transactions': {
    operationId: 'authorizeTransaction',
    summary: 'Decide a transaction: PERMITTED or REJECTED against the user’s available credit',
    description:
      'Idempotent under transaction_id: a retry of the same request returns the stored decision with `replay: true`; a different request under a used id is a 409. A REJECTED decision is a 200 with its reason.',
    requestBody: {
      required: true,
      content: { 'application/json': { schema: ref('TransactionRequest') } },
    },
    responses: {
      '200': json('TransactionResponse', 'The decision, committed with its hold.'),
      ...errors(
        'VALIDATION_ERROR',
        'MALFORMED_JSON',
        'INVALID_CALLBACK_URL',
        'DUPLICATE_TRANSACTION_ID',
        'PAYLOAD_TOO_LARGE',
      ),
      ...common,
    },
  },
  'GET /v1/transactions/{id}': {
    operationId: 'getTransaction',
    summary: 'The stored decision of one of the partner’s transactions',
    parameters: [idParameter('The transaction_id.')],
    responses: {
      '200': json('TransactionResponse', 'The decision as the partner was answered.'),
      ...errors('VALIDATION_ERROR', 'NOT_FOUND'),
      ...common,
    },
  },
  'GET /v1/transactions/{id}/deliveries': {
    operationId: 'listTransactionDeliveries',
    summary: 'Every attempt at delivering the transaction’s callback, with status and latency',
    parameters: [idParameter('The transaction_id.')],
    responses: {
      '200': json('TransactionDeliveries', 'The delivery state and its attempts, oldest first.'),
      ...errors('VALIDATION_ERROR', 'NOT_FOUND'),
      ...common,
    },
  },
  'GET /v1/users/{id}/balance': {
    operationId: 'getBalance',
    summary: 'A user’s available credit',
    parameters: [idParameter('The user_id.')],
    responses: {
      '200': json('Balance', 'Available credit in integer cents.'),
      ...errors('VALIDATION_ERROR', 'NOT_FOUND'),
      ...common,
    },
  },
  'GET /v1/users/{id}/controls': {
    operationId: 'getControls',
    summary: 'A user’s controls: status, currency, per-transaction and velocity limits, balance monitors',
    description: 'Velocity windows are calendar windows in UTC (daily, weekly from Monday, monthly) or rolling (rolling_24h), or lifetime.',
    parameters: [idParameter('The user_id.')],
    responses: {
      '200': { ...json('Controls', 'The controls and their version.'), headers: { ETag: etagHeader } },
      ...errors('VALIDATION_ERROR', 'NOT_FOUND'),
      ...common,
    },
  },
  'PUT /v1/users/{id}/controls': {
    operationId: 'putControls',
    summary: 'Change a user’s controls; the very next decision enforces them',
    description:
      'A compare-and-set on the version: send `If-Match` with the ETag you read to be sure nobody changed them since (412 PRECONDITION_FAILED with the current ETag otherwise). Without If-Match the fields given merge over the latest version. Every change is audited and published as ControlsChanged.',
    parameters: [
      idParameter('The user_id.'),
      {
        name: 'If-Match',
        in: 'header',
        required: false,
        description: 'The ETag of the version the change is based on, such as "3"; `*` is any.',
        schema: { type: 'string' },
      },
    ],
    requestBody: {
      required: true,
      content: { 'application/json': { schema: ref('ControlsRequest') } },
    },
    responses: {
      '200': { ...json('Controls', 'The controls as saved, with their new version.'), headers: { ETag: etagHeader } },
      ...errors('VALIDATION_ERROR', 'MALFORMED_JSON', 'PAYLOAD_TOO_LARGE', 'NOT_FOUND', 'PRECONDITION_FAILED'),
      ...common,
    },
  },
};

const webhookHeaders = (webhookId: string) => [
  {
    name: 'webhook-id',
    in: 'header',
    required: true,
    description: webhookId,
    schema: { type: 'string' },
  },
  {
    name: 'webhook-timestamp',
    in: 'header',
    required: true,
    description: 'Unix seconds of this attempt; reject values far from your clock.',
    schema: { type: 'string', pattern: '^[0-9]+$' },
  },
  {
    name: 'webhook-signature',
    in: 'header',
    required: true,
    description:
      'Standard Webhooks: space-separated `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, one per active secret (two during a key rotation). Accept the request when any matches.',
    schema: { type: 'string', pattern: '^v1,[A-Za-z0-9+/=]+( v1,[A-Za-z0-9+/=]+)*$' },
  },
];

export const buildOpenApi = (): JsonSchema => {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of apiRoutes) {
    const operation = operations[routeKey(route)];
    paths[route.path] = {
      ...paths[route.path],
      [route.method.toLowerCase()]: { ...operation, security: [{ sigv4: [] }] },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'creditline',
      version: '1.0.0',
      description:
        'Credit authorization for partner platforms. Amounts in answers, events and webhooks are integer minor units (cents). Every request is signed with AWS SigV4 by the partner’s role; someone else’s id looks exactly like a missing one (404).',
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    servers: [{ url: 'http://127.0.0.1:4000', description: 'the local runtime (pnpm start)' }],
    paths,
    webhooks: Object.fromEntries(
      webhooks.map((webhook) => [
        webhook.name,
        {
          post: {
            operationId: `receive${webhook.name}`,
            summary: webhook.description,
            description:
              'Retried on a schedule of about a day (immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, with jitter) until a 2xx. 429/503 with Retry-After are honoured; 410 Gone disables the endpoint.',
            parameters: webhookHeaders(webhook.webhookId),
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: { $ref: `#/components/schemas/${webhook.name}Webhook` },
                },
              },
            },
            responses: {
              '2XX': { description: 'Received: no further attempt.' },
              '410': { description: 'Gone: the endpoint is disabled and an operator is told.' },
              default: { description: 'Anything else: retried on the schedule.' },
            },
          },
        },
      ]),
    ),
    components: {
      schemas: {
        ...Object.fromEntries(
          Object.entries(bodies).map(([name, body]) => [
            name,
            { description: body.description, ...toJsonSchema(body.schema, body.side) },
          ]),
        ),
        ...Object.fromEntries(
          webhooks.map((webhook) => [
            `${webhook.name}Webhook`,
            { description: webhook.description, ...toJsonSchema(webhook.schema, webhook.side) },
          ]),
        ),
      },
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description:
            'AWS Signature Version 4 (API Gateway IAM authorization), signed with the partner’s role credentials.',
        },
      },
    },
  };
};

/** `api/schemas/<file>` → JSON Schema, one file per event detail and webhook body. */
export const buildSchemaFiles = (): Record<string, JsonSchema> => ({
  ...Object.fromEntries(
    events.map((event) => [
      `${event.detailType}.event.json`,
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://creditline.dev/schemas/${event.detailType}.event.json`,
        title: `${event.detailType} (EventBridge detail)`,
        description: `${event.description} source: ${event.source}; detail-type: ${event.detailType}.`,
        ...toJsonSchema(event.schema, event.side),
      },
    ]),
  ),
  ...Object.fromEntries(
    webhooks.map((webhook) => [
      `${webhook.name}.webhook.json`,
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://creditline.dev/schemas/${webhook.name}.webhook.json`,
        title: `${webhook.name} (webhook body)`,
        description: webhook.description,
        ...toJsonSchema(webhook.schema, webhook.side),
      },
    ]),
  ),
});

/** The documents exactly as checked in: two-space JSON with a final newline. */
export const render = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;
