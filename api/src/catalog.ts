import { detailTypes, eventSources } from '@creditline/adapters/definitions';
import {
  apiErrorBodySchema,
  balanceCrossingDetailSchema,
  balanceSchema,
  balanceWebhookSchemaOf,
  controlsChangedDetailSchema,
  controlsInputSchema,
  controlsResponseSchema,
  depositFileProcessedDetailSchema,
  transactionDecidedDetailSchema,
  transactionDeliveriesSchema,
  transactionRequestedDetailSchema,
  transactionRequestSchema,
  transactionResponseSchema,
} from '@creditline/domain';
import type { z } from 'zod';
import type { SchemaSide } from './json-schema.js';

/**
 * Everything creditline publishes, one line per schema: the generator turns each into a JSON
 * Schema file under `api/schemas/` and a component of `api/openapi.json`. The schemas are the
 * zod schemas the code parses and builds with, so the contract cannot drift from the code.
 */
export interface Published {
  readonly schema: z.ZodType;
  readonly side: SchemaSide;
  readonly description: string;
}

/** Bodies of the HTTP API (components of the OpenAPI document). */
export const bodies = {
  TransactionRequest: { schema: transactionRequestSchema, side: 'input', description: 'Body of POST /v1/transactions: amount as a decimal string or number with at most 2 decimals.' },
  TransactionResponse: { schema: transactionResponseSchema, side: 'output', description: 'A decision as the partner is answered: amounts in integer cents.' },
  Balance: { schema: balanceSchema, side: 'output', description: "A user's available credit in integer cents." },
  ControlsRequest: { schema: controlsInputSchema, side: 'input', description: 'Body of PUT /v1/users/{id}/controls: each field given replaces that control, a field left out keeps its value; limit amounts as decimal strings ("50.00").' },
  Controls: { schema: controlsResponseSchema, side: 'output', description: "A user's controls in integer cents, with the version that guards them (also the ETag)." },
  TransactionDeliveries: { schema: transactionDeliveriesSchema, side: 'output', description: "Every attempt at delivering a transaction's callback." },
  Error: { schema: apiErrorBodySchema, side: 'output', description: 'Every 4xx and 5xx answer: a code, a message and, for a 400, the fields at fault.' },
} as const satisfies Record<string, Published>;

export interface PublishedEvent extends Published {
  /** EventBridge `detail-type`. */
  readonly detailType: string;
  /** EventBridge `source` (a pattern for partner-published events). */
  readonly source: string;
}

/** Event details on the bus: add an event here and `pnpm api:generate`. */
export const events: readonly PublishedEvent[] = [
  { detailType: detailTypes.transactionRequested, source: `${eventSources.partnerPrefix}<partner_id>`, schema: transactionRequestedDetailSchema, side: 'input', description: 'Published by a partner to ask for a decision; answered by callback.' },
  { detailType: detailTypes.transactionDecided, source: eventSources.authorization, schema: transactionDecidedDetailSchema, side: 'output', description: 'Published for every committed decision (the TransactionLog outbox).' },
  { detailType: detailTypes.controlsChanged, source: eventSources.controls, schema: controlsChangedDetailSchema, side: 'output', description: 'Published for every new version of a user’s controls: what it is, what it replaced, who changed it.' },
  { detailType: detailTypes.balanceLow, source: eventSources.controls, schema: balanceCrossingDetailSchema, side: 'output', description: 'Published once per crossing when a change of a user’s available credit takes it strictly below a monitored threshold (the user’s own or the program’s); change_id names that change.' },
  { detailType: detailTypes.balanceRestored, source: eventSources.controls, schema: balanceCrossingDetailSchema, side: 'output', description: 'Published once per crossing when a change of a user’s available credit takes it from below a monitored threshold back to it or above; change_id names that change.' },
  { detailType: detailTypes.depositFileProcessed, source: eventSources.deposits, schema: depositFileProcessedDetailSchema, side: 'output', description: 'Published when a deposit file is done; also the summary file body.' },
];

export interface PublishedWebhook extends Published {
  /** The name of the webhook in the OpenAPI `webhooks` map. */
  readonly name: string;
  /** What its `webhook-id` header is: stable across retries, replays and duplicate events. */
  readonly webhookId: string;
}

const balanceWebhookId = '`balance#<change_id>#<threshold>`: one per crossing, the same on every retry and replay and for a duplicate of its event, to deduplicate on.';

/** Webhook bodies POSTed to a partner, signed per Standard Webhooks. */
export const webhooks: readonly PublishedWebhook[] = [
  { name: 'TransactionDecided', schema: transactionResponseSchema, side: 'output', description: 'A decision on a transaction that carried a callback_url, POSTed to that callback_url.', webhookId: 'The transaction_id: the same on every retry and replay, to deduplicate on.' },
  { name: detailTypes.balanceLow, schema: balanceWebhookSchemaOf('BalanceLow'), side: 'output', description: 'A BalanceLow crossing, POSTed to the partner’s configured monitorCallbackUrl (no URL configured: not called back).', webhookId: balanceWebhookId },
  { name: detailTypes.balanceRestored, schema: balanceWebhookSchemaOf('BalanceRestored'), side: 'output', description: 'A BalanceRestored crossing, POSTed to the partner’s configured monitorCallbackUrl (no URL configured: not called back).', webhookId: balanceWebhookId },
];
