import {
  errorResponse,
  jsonResponse,
  type HttpResponse,
} from '@creditline/adapters/http/api-gateway-response';
import { readJsonBody } from '@creditline/adapters/http/json-body';
import { identifierSchema, issuesToDetails } from '@creditline/domain';
import type { APIGatewayProxyEventV2Schema } from '@aws-lambda-powertools/parser/schemas';
import type { z } from 'zod';
import type { ValidatorDependencies } from '../composition.js';
import { controlsResponse } from '../controls/controls-response.js';
import { outcomeResponse } from './outcome-response.js';
import type { RouteName } from './routes.js';

export type HttpEvent = z.infer<typeof APIGatewayProxyEventV2Schema>;
/** A route's action, for a request already attributed to `partnerId`. */
export type HttpAction = (
  event: HttpEvent,
  params: Readonly<Record<string, string>>,
  partnerId: string,
) => Promise<HttpResponse>;

/** Bodies are small JSON objects; anything past this is refused before it is parsed. */
export const MAX_BODY_BYTES = 16 * 1024;

/** The path's `{id}`, validated like the same id (`name`) in a body. */
const pathId = (
  params: Readonly<Record<string, string>>,
  name: 'transaction_id' | 'user_id',
): { id: string } | { response: HttpResponse } => {
  const parsed = identifierSchema.safeParse(params['id']);
  if (parsed.success) return { id: parsed.data };
  const details = issuesToDetails(parsed.error.issues).map((detail) => ({ ...detail, path: name }));
  return {
    response: errorResponse('VALIDATION_ERROR', `${name} in the path is invalid`, { details }),
  };
};

/**
 * One action per route: read the request, call one use-case inside the caller's partner space,
 * map its result. Another partner's user or transaction is not in that space: it is read with
 * the same single key lookup a missing one costs, and answered with the same 404.
 */
export const createHttpActions = (
  deps: ValidatorDependencies,
): Readonly<Record<RouteName, HttpAction>> => ({
  async postTransaction(event, _params, partnerId) {
    const body = readJsonBody(event, MAX_BODY_BYTES);
    if (!body.ok) return errorResponse(body.error.code, body.error.message);
    return outcomeResponse(
      await deps.authorize({ body: body.value, partner_id: partnerId, onInvalidAmount: 'refuse' }),
    );
  },
  async getTransaction(_event, params, partnerId) {
    const path = pathId(params, 'transaction_id');
    if ('response' in path) return path.response;
    const found = await deps.findDecision({ transaction_id: path.id, partner_id: partnerId });
    return found === null
      ? errorResponse('NOT_FOUND', 'no such transaction')
      : jsonResponse(200, found);
  },
  async getControls(_event, params, partnerId) {
    const path = pathId(params, 'user_id');
    if ('response' in path) return path.response;
    const found = await deps.controls.get({ partner_id: partnerId, user_id: path.id });
    return controlsResponse(
      found === null ? { type: 'not-found' } : { type: 'found', controls: found },
    );
  },
  async putControls(event, params, partnerId) {
    const path = pathId(params, 'user_id');
    if ('response' in path) return path.response;
    const body = readJsonBody(event, MAX_BODY_BYTES);
    if (!body.ok) return errorResponse(body.error.code, body.error.message);
    const iam = event.requestContext.authorizer?.iam;
    const outcome = await deps.controls.put({
      key: { partner_id: partnerId, user_id: path.id },
      body: body.value,
      ifMatch: event.headers['if-match'],
      actor: iam?.userArn ?? iam?.callerId ?? `partner:${partnerId}`,
    });
    return controlsResponse(outcome);
  },
  async listDeliveries(_event, params, partnerId) {
    const path = pathId(params, 'transaction_id');
    if ('response' in path) return path.response;
    const found = await deps.listDeliveries({ transaction_id: path.id, partner_id: partnerId });
    return found === null
      ? errorResponse('NOT_FOUND', 'no such transaction')
      : jsonResponse(200, found);
  },
  async getBalance(_event, params, partnerId) {
    const path = pathId(params, 'user_id');
    if ('response' in path) return path.response;
    const balance = await deps.readBalance(partnerId, path.id);
    return balance === null
      ? errorResponse('NOT_FOUND', 'no such user')
      : jsonResponse(200, balance);
  },
});
