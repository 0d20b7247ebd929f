import { describe, expect, it } from 'vitest';
import { matchRoute } from './routes.js';

describe('matchRoute', () => {
  it.each([
    ['POST', '/v1/transactions', { kind: 'matched', name: 'postTransaction', params: {} }],
    ['POST', '/v1/transactions/', { kind: 'matched', name: 'postTransaction', params: {} }],
    [
      'GET',
      '/v1/transactions/tx-1',
      { kind: 'matched', name: 'getTransaction', params: { id: 'tx-1' } },
    ],
    [
      'GET',
      '/v1/transactions/tx%3A1',
      { kind: 'matched', name: 'getTransaction', params: { id: 'tx:1' } },
    ],
    [
      'GET',
      '/v1/transactions/%E2%9',
      { kind: 'matched', name: 'getTransaction', params: { id: '%E2%9' } },
    ],
    [
      'GET',
      '/v1/users/u-1/balance',
      { kind: 'matched', name: 'getBalance', params: { id: 'u-1' } },
    ],
    [
      'PUT',
      '/v1/users/u-1/controls',
      { kind: 'matched', name: 'putControls', params: { id: 'u-1' } },
    ],
    ['GET', '/v1/transactions', { kind: 'method-not-allowed', allow: ['POST'] }],
    ['DELETE', '/v1/users/u-1/controls', { kind: 'method-not-allowed', allow: ['GET', 'PUT'] }],
    ['PATCH', '/v1/users/u-1/balance', { kind: 'method-not-allowed', allow: ['GET'] }],
    ['GET', '/v1/users//balance', { kind: 'not-found' }],
    ['GET', '/v1/transactions//', { kind: 'not-found' }],
    ['GET', '/V1/TRANSACTIONS/tx-1', { kind: 'not-found' }],
    ['GET', '', { kind: 'not-found' }],
  ])('%s %s', (method, path, expected) => {
    expect(matchRoute(method, path)).toEqual(expected);
  });
});
