import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readFileSync } from 'node:fs';

/** The validator's fixture: a real HTTP API (payload v2, IAM-authorized) POST /v1/transactions event. */
const fixture = readFileSync(
  new URL('../../functions/transaction-validator/src/fixtures/api-gateway-v2-post-transaction.json', import.meta.url),
  'utf8',
);

/** A fresh event per request, as API Gateway would deliver it, with its own body and request id. */
export const postTransactionEvent = (transactionId: string, userId: string, amount: string): APIGatewayProxyEventV2 => {
  const event = JSON.parse(fixture) as APIGatewayProxyEventV2;
  const body = JSON.stringify({ transaction_id: transactionId, user_id: userId, amount });
  event.body = body;
  event.headers['content-length'] = String(body.length);
  event.requestContext.requestId = transactionId;
  return event;
};
