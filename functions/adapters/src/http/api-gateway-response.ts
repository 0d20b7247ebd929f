import { apiErrorStatus, type ApiErrorBody, type ApiErrorCode, type ApiErrorDetail } from '@creditline/domain';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** An HTTP API (payload v2) response with everything set: status, headers and a JSON body. */
export type HttpResponse = APIGatewayProxyStructuredResultV2 & {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
};

/** Decisions and balances change with every request: nothing in between may cache them. */
const JSON_HEADERS = { 'content-type': 'application/json', 'cache-control': 'no-store' } as const;

export const jsonResponse = (statusCode: number, body: unknown, headers: Readonly<Record<string, string>> = {}): HttpResponse => ({
  statusCode,
  headers: { ...JSON_HEADERS, ...headers },
  body: JSON.stringify(body),
});

export interface ErrorResponseOptions {
  readonly details?: readonly ApiErrorDetail[];
  readonly headers?: Readonly<Record<string, string>>;
}

/** `{error: {code, message, details}}` with the status the code maps to. Never carries a stack. */
export const errorResponse = (code: ApiErrorCode, message: string, options: ErrorResponseOptions = {}): HttpResponse => {
  const body: ApiErrorBody = {
    error: { code, message, ...(options.details !== undefined ? { details: [...options.details] } : {}) },
  };
  return jsonResponse(apiErrorStatus[code], body, options.headers);
};

/** 503 with the Retry-After a well-behaved client waits before trying again. */
export const serviceUnavailableResponse = (retryAfterSeconds: number, message = 'try again shortly'): HttpResponse =>
  errorResponse('SERVICE_UNAVAILABLE', message, { headers: { 'retry-after': String(retryAfterSeconds) } });
