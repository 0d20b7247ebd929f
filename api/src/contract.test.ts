import { apiRoutes } from '@creditline/adapters/definitions';
import { toBalanceWebhook, toResponse, type Decision } from '@creditline/domain';
import { Validator } from '@seriousme/openapi-schema-validator';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createContractValidator } from './contract-validator.js';
import { buildOpenApi, buildSchemaFiles, render } from './openapi.js';

const apiDir = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string): string => readFileSync(`${apiDir}/${path}`, 'utf8');

const decision: Decision = {
  transaction_id: 'tx-1',
  user_id: 'alice',
  amount: 1234,
  status: 'PERMITTED',
  reason: null,
  remaining_credit: 8766,
  decided_at: '2026-01-15T09:30:00.000Z',
};

describe('the published contract', () => {
  it('is checked in exactly as generated from the zod schemas (run `pnpm api:generate` when this fails)', () => {
    expect(read('openapi.json')).toBe(render(buildOpenApi()));
    const files = buildSchemaFiles();
    expect(readdirSync(`${apiDir}/schemas`).sort()).toEqual(Object.keys(files).sort());
    for (const [name, schema] of Object.entries(files)) expect(read(`schemas/${name}`), name).toBe(render(schema));
  });

  it('is a valid OpenAPI 3.1 document for a real validator', async () => {
    const validator = new Validator();
    const result = await validator.validate(buildOpenApi());
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('has an operation for every deployed route and nothing else', () => {
    const paths = buildOpenApi()['paths'] as Record<string, Record<string, unknown>>;
    const documented = Object.entries(paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(apiRoutes.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('accepts what the code answers and refuses what it must not', () => {
    const contract = createContractValidator(buildOpenApi());
    const ok = { method: 'POST', path: '/v1/transactions', status: 200, contentType: 'application/json' };
    expect(contract.checkResponse({ ...ok, body: toResponse(decision) })).toBeNull();
    expect(contract.checkResponse({ ...ok, body: toResponse(decision, true) })).toBeNull();
    // Decimal amounts never leave creditline: cents are integers.
    expect(contract.checkResponse({ ...ok, body: { ...toResponse(decision), remaining_credit: 87.66 } })?.problems.join()).toMatch(/remaining_credit must be integer/);
    expect(contract.checkResponse({ ...ok, body: { ...toResponse(decision), extra: 1 } })?.problems.join()).toMatch(/additional properties/);
    expect(contract.checkResponse({ ...ok, status: 418, body: {} })?.problems.join()).toMatch(/status 418 is not in the contract/);
    expect(contract.checkResponse({ ...ok, status: 409, body: { error: { code: 'DUPLICATE_TRANSACTION_ID', message: 'used' } } })).toBeNull();
    expect(contract.checkResponse({ method: 'GET', path: '/v1/users/alice/balance', status: 200, contentType: 'application/json', body: { user_id: 'alice', available: 10, currency: 'USD' } })).toBeNull();
    expect(contract.checkResponse({ method: 'GET', path: '/v1/nothing', status: 200, contentType: 'application/json', body: {} })?.problems).toEqual(['no route of the contract has this method and path']);
    expect(contract.checkWebhook('TransactionDecided', toResponse(decision))).toBeNull();
    expect(contract.checkWebhook('TransactionDecided', { ...toResponse(decision), status: 'MAYBE' })).not.toBeNull();
    const low = toBalanceWebhook({ type: 'BalanceLow', partner_id: 'acme', user_id: 'alice', threshold: 5000, scope: 'user', previous: 5200, available: 4900, change_id: 'tx-1#1' });
    expect(contract.checkWebhook('BalanceLow', low)).toBeNull();
    expect(contract.checkWebhook('BalanceRestored', { ...low, type: 'BalanceRestored', previous: 4900, available: 5000 })).toBeNull();
    // Each webhook's body names its own type; cents stay integers.
    expect(contract.checkWebhook('BalanceRestored', low)).not.toBeNull();
    expect(contract.checkWebhook('BalanceLow', { ...low, available: 49.0001 })).not.toBeNull();
  });

  it('publishes integer cents for events and decimal input for requests', () => {
    const files = buildSchemaFiles();
    const decided = files['TransactionDecided.event.json'] as { properties: Record<string, { type: unknown }> };
    const requested = files['TransactionRequested.event.json'] as { properties: Record<string, { type: unknown }> };
    expect(decided.properties['amount']?.type).toBe('integer');
    expect(requested.properties['amount']?.type).toEqual(['string', 'number']);
  });
});
