import type { Logger } from '@aws-lambda-powertools/logger';
import {
  errorResponse,
  jsonResponse,
  serviceUnavailableResponse,
  type HttpResponse,
} from '@creditline/adapters/http/api-gateway-response';
import { excerpt, isRetryable, toResponse } from '@creditline/domain';
import type { AuthorizeOutcome } from '../authorize.js';

/** Seconds a client waits after a store asked to be retried (throttling, a resuming database). */
export const STORE_RETRY_AFTER_SECONDS = 1;

/** The HTTP answer to an authorization: a decision is a 200 whether PERMITTED or REJECTED. */
export const outcomeResponse = (outcome: AuthorizeOutcome): HttpResponse => {
  switch (outcome.type) {
    case 'decided':
      return jsonResponse(200, toResponse(outcome.decision, outcome.replay));
    case 'invalid':
      return errorResponse('VALIDATION_ERROR', 'the transaction request is invalid', {
        details: outcome.details,
      });
    case 'invalid-callback-url':
      return errorResponse('INVALID_CALLBACK_URL', outcome.message);
    case 'duplicate':
      return errorResponse(
        'DUPLICATE_TRANSACTION_ID',
        `transaction_id "${excerpt(outcome.transaction_id)}" was already used for a different request`,
      );
    case 'unavailable':
      return serviceUnavailableResponse(
        outcome.retryAfterSeconds,
        'the account is busy with other transactions: retry shortly',
      );
  }
};

/** An exception becomes a 503 when retrying can help, a bare 500 otherwise: the stack goes to the log only. */
export const failureResponse = (error: unknown, logger: Logger): HttpResponse => {
  if (isRetryable(error)) {
    logger.warn('a store asked to be retried later', { error });
    return serviceUnavailableResponse(STORE_RETRY_AFTER_SECONDS);
  }
  logger.error('request failed', { error });
  return errorResponse('INTERNAL_ERROR', 'internal error');
};
