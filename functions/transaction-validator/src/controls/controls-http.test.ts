import {
  apiErrorBodySchema,
  controlsChangedDetailSchema,
  controlsResponseSchema,
  type ControlsCache,
} from '@creditline/domain';
import { partnerSchema } from '@creditline/adapters/config/env';
import { afterEach, describe, expect, it } from 'vitest';
import { httpEvent, roleSessionCaller } from '../fixtures/test-events.js';
import {
  acmePartner,
  createValidatorHarness,
  globexPartner,
  type HarnessOptions,
  type ValidatorHarness,
} from '../fixtures/validator-harness.js';
import { createHttpHandler } from '../http/http-handler.js';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const PATH = '/v1/users/user-42/controls';
// The program defaults as the stack file gives them, parsed the way the function reads its config.
const programmed = partnerSchema.parse({
  ...acmePartner,
  controls: {
    maxPerTransaction: '500.00',
    velocityLimits: [{ interval: 'daily', maxAmount: '1000.00' }],
    balanceMonitors: ['25.00'],
  },
});

describe('controls over the HTTP API', () => {
  let harness: ValidatorHarness;
  let now = NOW;
  afterEach(async () => {
    await harness.drop();
  });
  const setUp = async (options: HarnessOptions = {}) => {
    now = NOW;
    harness = await createValidatorHarness({
      clock: { now: () => now },
      partners: [programmed],
      ...options,
    });
    await harness.seedBooks({ user_id: 'user-42', balance: 10_000 });
    await harness.seedCache({ user_id: 'user-42', available: 10_000, version: 0 });
    const handle = createHttpHandler(harness.deps);
    const get = (path = PATH) => handle(httpEvent({ method: 'GET', path }));
    const put = (body: unknown, ifMatch?: string, path = PATH) => {
      const event = httpEvent({ method: 'PUT', path, body });
      if (ifMatch !== undefined) event.headers['if-match'] = ifMatch;
      return handle(event);
    };
    return { get, put };
  };
  const json = (body: string) => JSON.parse(body) as Record<string, unknown>;
  const errorOf = (body: string) => apiErrorBodySchema.parse(JSON.parse(body)).error;

  it('GET: a user never set answers the program defaults at version 0; an unknown user is a 404', async () => {
    const { get } = await setUp();
    const response = await get();
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"0"');
    expect(controlsResponseSchema.strict().parse(json(response.body))).toEqual({
      user_id: 'user-42',
      status: 'ACTIVE',
      currency: 'USD',
      max_per_transaction: 50_000,
      velocity_limits: [{ interval: 'daily', max_amount: 100_000 }],
      balance_monitors: [2_500],
      version: 0,
      updated_at: null,
    });
    expect((await get('/v1/users/nobody/controls')).statusCode).toBe(404);
  });

  it('PUT with If-Match: versioned, written through to the account item, audited, published once', async () => {
    const { put, get } = await setUp();
    const response = await put(
      {
        status: 'SUSPENDED',
        velocity_limits: [{ interval: 'daily', max_amount: '50.00', max_count: 5 }],
      },
      '"0"',
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toBe('"1"');
    expect(json(response.body)).toMatchObject({
      status: 'SUSPENDED',
      max_per_transaction: 50_000, // not given: kept
      velocity_limits: [{ interval: 'daily', max_amount: 5_000, max_count: 5 }],
      version: 1,
      updated_at: '2026-12-01T12:00:00.000Z',
    });
    expect(await harness.cacheItem('user-42')).toMatchObject({
      available: 10_000,
      account_status: 'SUSPENDED',
      per_transaction_limit: 50_000,
      cv: 1,
      vl: { d: { a: 5_000, c: 5 } },
      bm: [2_500],
    });
    expect(harness.published).toHaveLength(1);
    const event = harness.published[0];
    expect(event).toMatchObject({ source: 'creditline.controls', detailType: 'ControlsChanged' });
    expect(controlsChangedDetailSchema.parse(event?.detail)).toMatchObject({
      partner_id: 'acme',
      user_id: 'user-42',
      version: 1,
      previous: { status: 'ACTIVE' },
      controls: { status: 'SUSPENDED' },
      changed_by:
        'arn:aws:sts::123456789012:assumed-role/creditline-dev-partner-acme/acme-payments',
    });
    const { rows } = await harness.db.sql.query(
      "SELECT version, changed_by, published_at FROM controls_audit WHERE user_id = 'user-42'",
    );
    expect(rows).toEqual([
      {
        version: 1,
        changed_by:
          'arn:aws:sts::123456789012:assumed-role/creditline-dev-partner-acme/acme-payments',
        published_at: '2026-12-01T12:00:00.000Z',
      },
    ]);
    expect(json((await get()).body)).toMatchObject({ version: 1, status: 'SUSPENDED' });
  });

  it("another partner's user is not there: GET and PUT answer the 404 of a user nobody has, and nothing changes", async () => {
    // Prepare: acme's user-42 exists; globex asks for the same id
    await setUp({ partners: [programmed, globexPartner] });
    const handle = createHttpHandler(harness.deps);
    const asGlobex = roleSessionCaller('creditline-dev-partner-globex');
    const nobody = await handle(
      httpEvent({ method: 'GET', path: '/v1/users/nobody/controls', caller: asGlobex }),
    );

    // Act
    const read = await handle(httpEvent({ method: 'GET', path: PATH, caller: asGlobex }));
    const written = await handle(
      httpEvent({ method: 'PUT', path: PATH, body: { status: 'SUSPENDED' }, caller: asGlobex }),
    );

    // Assess
    for (const response of [read, written]) {
      expect(response.statusCode).toBe(404);
      expect(response.body).toBe(nobody.body);
    }
    expect(harness.published).toEqual([]);
    expect(await harness.cacheItem('user-42')).not.toHaveProperty('account_status');
    const own = await handle(httpEvent({ method: 'GET', path: PATH }));
    expect(json(own.body)).toMatchObject({ status: 'ACTIVE', version: 0 });
  });

  it('a stale If-Match is a 412 naming the current version, even for the very same change', async () => {
    const { put } = await setUp();
    const body = { status: 'SUSPENDED' };
    expect((await put(body, '"0"')).statusCode).toBe(200);
    const stale = await put({ status: 'CLOSED' }, '"0"');
    expect(stale.statusCode).toBe(412);
    expect(stale.headers.etag).toBe('"1"');
    expect(errorOf(stale.body)).toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: [{ path: 'If-Match', reason: 'STALE_VERSION' }],
    });
    // the same change from the same version is another writer's change: it must re-read
    expect((await put(body, '"0"')).statusCode).toBe(412);
    expect(harness.published).toHaveLength(1);
  });

  it('refuses a limit sent as an integer (answers carry cents: 5000 would mean 5,000.00) and a bad If-Match', async () => {
    const { put } = await setUp();
    const integer = await put({ max_per_transaction: 5000 });
    expect(integer.statusCode).toBe(400);
    expect(errorOf(integer.body).details?.[0]?.path).toBe('max_per_transaction');
    const badInterval = await put({
      velocity_limits: [{ interval: 'hourly', max_amount: '1.00' }],
    });
    expect(badInterval.statusCode).toBe(400);
    const empty = await put({ velocity_limits: [{ interval: 'daily' }] });
    expect(errorOf(empty.body).details?.[0]?.message).toMatch(/max_amount, max_count or both/);
    const twice = await put({
      velocity_limits: [
        { interval: 'daily', max_count: 1 },
        { interval: 'daily', max_count: 2 },
      ],
    });
    expect(errorOf(twice.body).details?.[0]?.message).toMatch(/one limit per interval/);
    const badMatch = await put({ status: 'ACTIVE' }, 'yesterday');
    expect(errorOf(badMatch.body).details).toEqual([
      { path: 'If-Match', message: 'must be the ETag of a version, such as "3"' },
    ]);
    expect(harness.published).toHaveLength(0);
  });

  it('20 partners-side writers racing GET → PUT(If-Match) → retry never lose an update, and the cache ends on the last version', async () => {
    const { get, put } = await setUp();
    const writer = async () => {
      for (;;) {
        const read = json((await get()).body) as { version: number; max_per_transaction: number };
        const next = read.version === 0 ? 1 : read.max_per_transaction + 1;
        const response = await put(
          { max_per_transaction: (next / 100).toFixed(2) },
          `"${read.version}"`,
        );
        if (response.statusCode === 200) return;
        expect(response.statusCode).toBe(412);
      }
    };
    await Promise.all(Array.from({ length: 20 }, writer));
    expect(json((await get()).body)).toMatchObject({ version: 20, max_per_transaction: 20 });
    expect(await harness.cacheItem('user-42')).toMatchObject({ cv: 20, per_transaction_limit: 20 });
    expect(
      harness.published
        .map((event) => (event.detail as { version: number }).version)
        .sort((a, b) => a - b),
    ).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
  });

  it('PUTs without If-Match merge their fields over the latest controls: concurrent ones keep each other’s fields', async () => {
    const { get, put } = await setUp();
    const responses = await Promise.all([
      put({ status: 'SUSPENDED' }),
      put({ max_per_transaction: '12.34' }),
      put({ balance_monitors: ['1.00'] }),
      put({ velocity_limits: [{ interval: 'weekly', max_count: 9 }] }),
    ]);
    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 200]);
    expect(json((await get()).body)).toMatchObject({
      version: 4,
      status: 'SUSPENDED',
      max_per_transaction: 1_234,
      balance_monitors: [100],
      velocity_limits: [{ interval: 'weekly', max_count: 9 }],
    });
  });

  it('a crash between the books and the account item: the retry (a 412) finishes the write-through and publishes once', async () => {
    let failNext = true;
    const { put, get } = await setUp({
      wrapStores: (stores) => {
        const cache: ControlsCache = {
          read: (key) => stores.controlsCache.read(key),
          write: (key, controls, version) => {
            if (failNext) {
              failNext = false;
              return Promise.reject(
                Object.assign(new Error('socket hang up'), { retryable: true }),
              );
            }
            return stores.controlsCache.write(key, controls, version);
          },
        };
        return { ...stores, controlsCache: cache };
      },
    });
    const first = await put({ status: 'SUSPENDED' }, '"0"');
    expect(first.statusCode).toBeGreaterThanOrEqual(500);
    expect(await harness.cacheItem('user-42')).not.toHaveProperty('cv');
    expect(json((await get()).body)).toMatchObject({ version: 1 }); // the books committed
    const retry = await put({ status: 'SUSPENDED' }, '"0"');
    expect(retry.statusCode).toBe(412);
    expect(retry.headers.etag).toBe('"1"');
    expect(await harness.cacheItem('user-42')).toMatchObject({
      cv: 1,
      account_status: 'SUSPENDED',
    });
    expect(harness.published).toHaveLength(0);
    // heal publishes what a crash left behind, once the grace for live PUTs is over
    now = new Date(NOW.getTime() + 61_000);
    await expect(harness.deps.controls.heal(10)).resolves.toBe(1);
    await expect(harness.deps.controls.heal(10)).resolves.toBe(0);
    expect(harness.published).toHaveLength(1);
  });

  it('never writes an older version over a newer one on the account item', async () => {
    await setUp();
    const key = { partner_id: 'acme', user_id: 'user-42' };
    const controls = {
      status: 'ACTIVE' as const,
      currency: 'USD',
      max_per_transaction: null,
      velocity_limits: [],
      balance_monitors: [],
    };
    await expect(
      harness.stores.controlsCache.write(key, { ...controls, status: 'SUSPENDED' }, 2),
    ).resolves.toBe('written');
    await expect(harness.stores.controlsCache.write(key, controls, 1)).resolves.toBe(
      'already-newer',
    );
    await expect(harness.stores.controlsCache.read(key)).resolves.toEqual({
      controls: { ...controls, status: 'SUSPENDED' },
      version: 2,
    });
    await expect(
      harness.stores.controlsCache.write({ ...key, user_id: 'no-item' }, controls, 1),
    ).resolves.toBe('no-account');
  });
});
