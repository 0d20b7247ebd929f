import type { TestDatabase } from '@creditline/stand-ins/vitest';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultProfiles } from '../faults/profile.js';
import { createRandom } from '../random.js';
import { startWorld, type World } from '../run.js';
import { simPartners } from '../system/partners.js';
import { testStores } from '../testing/test-stores.js';

/**
 * Fuzzing at the edges, through the real handlers over the stand-ins: generated HTTP bodies and
 * paths, EventBridge details and CSV lines. Never a 5xx, never a stack trace, every refusal with
 * a code, and a bad row never stops a file.
 */
const partner =
  simPartners[0] ??
  (() => {
    throw new Error('no partner');
  })();
const stackLike = /\n\s+at\s|\.ts:\d+|node_modules|Error:/;

let world: World;
let db: TestDatabase;

beforeAll(async () => {
  const test = await testStores();
  db = test.db;
  world = await startWorld({
    stores: test.stores,
    profile: faultProfiles.none,
    random: createRandom(1),
    partners: [partner],
    plant: [],
  });
  // Some credit, so that generated requests can also be decided PERMITTED.
  const csv =
    'user_id,amount,deposit_id,timestamp\nu-01,1000.00,fz-seed-1,2026-01-01T00:00:00Z\nu-02,5.00,fz-seed-2,2026-01-01T00:00:00Z\n';
  const object = await world.system.upload(partner, 'seed.csv', csv);
  await world.system.ingest({ ...object, size: csv.length }, world.system.scopeFor('seed'));
}, 120_000);

afterAll(async () => {
  await world.stop();
  await db.drop();
});

const http = async (method: string, path: string, body?: unknown) => {
  const result = await world.system.http(
    partner,
    method,
    path,
    body,
    world.system.scopeFor(`fuzz:${method}:${path}`),
  );
  if (result.kind !== 'answered')
    throw new Error(
      `the handler did not answer: ${result.kind === 'crashed' ? String(result.error) : 'killed'}`,
    );
  return result.value;
};

const expectCleanAnswer = (answer: { status: number; body: unknown }): void => {
  expect(answer.status).toBeLessThan(500);
  expect(typeof answer.body).toBe('object');
  expect(JSON.stringify(answer.body)).not.toMatch(stackLike);
  if (answer.status >= 400) {
    const error = (answer.body as { error?: { code?: unknown; message?: unknown } }).error;
    expect(typeof error?.code).toBe('string');
    expect(typeof error?.message).toBe('string');
  } else {
    expect(['PERMITTED', 'REJECTED']).toContain((answer.body as { status?: unknown }).status);
  }
};

const idLike = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,40}$/),
  fc.string(),
  fc.constantFrom('u-01', 'u-02', '', ' ', '../u-01', 'u-01\u0000', 'x'.repeat(300)),
);
const amountLike = fc.oneof(
  fc.stringMatching(/^-?\d{1,12}(\.\d{0,4})?$/),
  fc.double(),
  fc.integer(),
  fc.constantFrom(
    '1e3',
    '0x10',
    'NaN',
    'Infinity',
    '10,00',
    '٣',
    ' 1.00',
    '1.00 ',
    '',
    null,
    true,
    [],
    {},
  ),
);
const bodyLike = fc.oneof(
  fc.record(
    {
      transaction_id: idLike,
      user_id: idLike,
      amount: amountLike,
      currency: fc.oneof(fc.constantFrom('USD', 'usd', 'EUR', 'US'), fc.string()),
      callback_url: fc.oneof(
        fc.webUrl(),
        fc.string(),
        fc.constant(`http://127.0.0.1/hooks/${partner.id}`),
      ),
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.anything(),
  fc.string().map((text) => ({ raw: text })),
);

describe('fuzzing the edges through the real handlers', () => {
  it(
    'POST /v1/transactions: any body is a decision or a coded 4xx, never a 5xx or a stack',
    { timeout: 600_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(bodyLike, fc.string()), async (body) => {
          const raw =
            typeof body === 'object' && body !== null && 'raw' in body
              ? (body as { raw: string }).raw
              : body;
          expectCleanAnswer(
            await http(
              'POST',
              '/v1/transactions',
              typeof raw === 'string' ? raw : JSON.stringify(raw ?? null),
            ),
          );
        }),
        { numRuns: 150 },
      );
    },
  );

  it(
    'GET routes with any id in the path answer 200, 400 or 404 with a code',
    { timeout: 600_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ minLength: 1 }), fc.boolean(), async (id, balance) => {
          const path = balance
            ? `/v1/users/${encodeURIComponent(id)}/balance`
            : `/v1/transactions/${encodeURIComponent(id)}`;
          const answer = await http('GET', path);
          expect([200, 400, 404]).toContain(answer.status);
          expect(JSON.stringify(answer.body)).not.toMatch(stackLike);
          if (answer.status !== 200)
            expect(typeof (answer.body as { error?: { code?: unknown } }).error?.code).toBe(
              'string',
            );
        }),
        { numRuns: 100 },
      );
    },
  );

  it(
    'TransactionRequested with any detail (and any source) never throws',
    { timeout: 600_000 },
    async () => {
      await fc.assert(
        fc.asyncProperty(
          bodyLike,
          fc.constantFrom(partner.config.eventSource, 'partner.nobody', 'aws.s3', ''),
          fc.constantFrom(partner.accountId, '999999999999'),
          async (detail, source, account) => {
            const result = await world.system.event(
              { source, account, detail },
              world.system.scopeFor('fuzz:event'),
            );
            expect(result.kind, result.kind === 'crashed' ? String(result.error) : '').toBe(
              'answered',
            );
          },
        ),
        { numRuns: 100 },
      );
    },
  );

  it(
    'deposit files with generated bad lines: every good row is credited, every bad one reported, the file finishes',
    { timeout: 600_000 },
    async () => {
      let fileNumber = 0;
      const quote = (field: string): string =>
        /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
      const badLine = fc.oneof(
        fc
          .array(fc.string(), { minLength: 0, maxLength: 6 })
          .map((fields) => fields.map(quote).join(',')),
        fc
          .tuple(idLike, amountLike.map(String), idLike, fc.string())
          .map((fields) => fields.map(quote).join(',')),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.oneof(fc.constant('good'), badLine), { minLength: 1, maxLength: 25 }),
          async (lines) => {
            fileNumber += 1;
            let good = 0;
            const body = lines.map((line, index) => {
              if (line !== 'good') return line;
              good += 1;
              return `u-03,1.${String(index % 100).padStart(2, '0')},fz-${fileNumber}-${index},2026-01-01T00:00:00Z`;
            });
            const csv = `user_id,amount,deposit_id,timestamp\n${body.join('\n')}\n`;
            const object = await world.system.upload(partner, `fuzz-${fileNumber}.csv`, csv);
            const result = await world.system.ingest(
              { ...object, size: Buffer.byteLength(csv) },
              world.system.scopeFor(`fuzz:file:${fileNumber}`),
            );
            expect(result.kind, result.kind === 'crashed' ? String(result.error) : '').toBe(
              'answered',
            );
            const outcome = (result.kind === 'answered' ? result.value : []) as {
              status: string;
              summary?: {
                status?: string;
                rows: number;
                accepted: number;
                duplicates: number;
                rejected: number;
              };
            }[];
            expect(outcome[0]?.status).toBe('INGESTED');
            const summary = outcome[0]?.summary;
            // A generated line that happens to be a valid deposit is credited too: at least the good ones.
            expect(summary?.accepted ?? 0).toBeGreaterThanOrEqual(good);
            expect(
              (summary?.accepted ?? 0) + (summary?.duplicates ?? 0) + (summary?.rejected ?? 0),
            ).toBe(summary?.rows);
          },
        ),
        { numRuns: 25 },
      );
    },
  );
});
