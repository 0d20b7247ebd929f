import { describe, expect, it } from 'vitest';
import { readJsonBody } from './json-body.js';

const LIMIT = 64;

describe('readJsonBody', () => {
  it.each([
    { name: 'plain JSON', body: '{"a":1}', isBase64Encoded: false, value: { a: 1 } },
    { name: 'base64 JSON', body: Buffer.from('{"a":"é"}').toString('base64'), isBase64Encoded: true, value: { a: 'é' } },
    { name: 'JSON after a byte order mark', body: '\uFEFF{"a":2}', isBase64Encoded: false, value: { a: 2 } },
    { name: 'exactly the limit', body: JSON.stringify({ a: 'x'.repeat(LIMIT - 8) }), isBase64Encoded: false, value: { a: 'x'.repeat(56) } },
  ])('reads $name', ({ body, isBase64Encoded, value }) => {
    expect(readJsonBody({ body, isBase64Encoded }, LIMIT)).toEqual({ ok: true, value });
  });

  it.each([
    { name: 'no body', body: undefined, isBase64Encoded: false, code: 'MALFORMED_JSON' },
    { name: 'an empty body', body: '', isBase64Encoded: false, code: 'MALFORMED_JSON' },
    { name: 'broken JSON', body: '{"a":', isBase64Encoded: false, code: 'MALFORMED_JSON' },
    { name: 'base64 of bytes that are not UTF-8', body: Buffer.from([0x7b, 0xff, 0x7d]).toString('base64'), isBase64Encoded: true, code: 'MALFORMED_JSON' },
    { name: 'one byte over the limit', body: JSON.stringify({ a: 'x'.repeat(LIMIT - 7) }), isBase64Encoded: false, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'multi-byte characters over the limit', body: JSON.stringify({ a: 'é'.repeat(40) }), isBase64Encoded: false, code: 'PAYLOAD_TOO_LARGE' },
    { name: 'base64 over the limit', body: Buffer.from(JSON.stringify({ a: 'x'.repeat(LIMIT) })).toString('base64'), isBase64Encoded: true, code: 'PAYLOAD_TOO_LARGE' },
  ])('refuses $name with $code', ({ body, isBase64Encoded, code }) => {
    const result = readJsonBody({ body, isBase64Encoded }, LIMIT);
    expect(result).toMatchObject({ ok: false, error: { code } });
  });

  it('does not echo the refused body in its message', () => {
    const result = readJsonBody({ body: 'secret-token-value', isBase64Encoded: false }, LIMIT);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('secret-token-value');
  });
});
