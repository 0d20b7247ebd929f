import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { readFileSync } from 'node:fs';

/** The validator's fixture: a real HTTP API (payload v2, IAM-authorized) POST /v1/transactions event. */
const fixture = JSON.parse(
  readFileSync(new URL('../../functions/transaction-validator/src/fixtures/api-gateway-v2-post-transaction.json', import.meta.url), 'utf8'),
) as APIGatewayProxyEventV2;

/**
 * An event per request as API Gateway would deliver it, with its own body and request id. The
 * parts every request shares are shared (the handler never mutates its event), so building
 * events leaves little garbage for the collector to charge to the handler's timings.
 */
export const postTransactionEvent = (transactionId: string, userId: string, amount: string): APIGatewayProxyEventV2 => {
  const body = JSON.stringify({ transaction_id: transactionId, user_id: userId, amount });
  return {
    ...fixture,
    headers: { ...fixture.headers, 'content-length': String(body.length) },
    requestContext: { ...fixture.requestContext, requestId: transactionId },
    body,
  };
};
