import { apiErrorBodySchema } from '@creditline/domain';
import { describe, expect, it } from 'vitest';
import { errorResponse, jsonResponse, serviceUnavailableResponse } from './api-gateway-response.js';

describe('API Gateway responses', () => {
  it('sends JSON that no cache keeps', () => {
    expect(jsonResponse(200, { a: 1 })).toEqual({
      statusCode: 200,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
      body: '{"a":1}',
    });
  });

  it.each([
    ['VALIDATION_ERROR', 400],
    ['MALFORMED_JSON', 400],
    ['PAYLOAD_TOO_LARGE', 413],
    ['NOT_FOUND', 404],
    ['METHOD_NOT_ALLOWED', 405],
    ['DUPLICATE_TRANSACTION_ID', 409],
    ['SERVICE_UNAVAILABLE', 503],
    ['INTERNAL_ERROR', 500],
  ] as const)('answers %s with %i and the contract error body', (code, status) => {
    // Act
    const response = errorResponse(code, 'what went wrong', { details: [{ path: 'amount', message: 'm', reason: 'ZERO' }] });

    // Assess
    expect(response.statusCode).toBe(status);
    expect(apiErrorBodySchema.parse(JSON.parse(response.body))).toEqual({
      error: { code, message: 'what went wrong', details: [{ path: 'amount', message: 'm', reason: 'ZERO' }] },
    });
  });

  it('tells a 503 caller when to come back', () => {
    const response = serviceUnavailableResponse(2);
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('2');
  });
});
