import { noProgramControls, type AccountControls, type ControlsBooks } from '@creditline/domain';
import { createTestDatabase, type TestDatabase } from '@creditline/stand-ins/vitest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createControlsRepository } from './controls-repository.js';

const AT = new Date('2026-12-01T12:00:00.000Z');
const key = (user_id: string) => ({ partner_id: 'demo', user_id });
const controls = (overrides: Partial<AccountControls> = {}): AccountControls => ({
  status: 'ACTIVE',
  currency: 'USD',
  max_per_transaction: null,
  velocity_limits: [],
  balance_monitors: [],
  ...overrides,
});

describe('controls repository (Aurora, the source of truth)', () => {
  let db: TestDatabase;
  let books: ControlsBooks;
  beforeAll(async () => {
    db = await createTestDatabase();
    books = createControlsRepository(db.sql, {
      programDefaults: (partner) =>
        partner === 'demo'
          ? {
              max_per_transaction: 50_000,
              velocity_limits: [{ interval: 'daily', max_amount: 100_000 }],
              balance_monitors: [1_000],
            }
          : noProgramControls,
    });
  });
  afterAll(async () => {
    await db.drop();
  });

  const user = async (id: string, columns = "'ACTIVE', 'USD', NULL") => {
    await db.sql.query(
      `INSERT INTO users (partner_id, user_id, status, currency, per_transaction_limit) VALUES ('demo', '${id}', ${columns})`,
    );
  };

  it('reads a user never set as the program defaults over its own status and currency, version 0', async () => {
    await user('u-new', "'SUSPENDED', 'EUR', NULL");
    await expect(books.read(key('u-new'))).resolves.toEqual({
      partner_id: 'demo',
      user_id: 'u-new',
      controls: {
        status: 'SUSPENDED',
        currency: 'EUR',
        max_per_transaction: 50_000,
        velocity_limits: [{ interval: 'daily', max_amount: 100_000 }],
        balance_monitors: [1_000],
      },
      version: 0,
      updated_at: null,
      updated_by: null,
    });
    await expect(books.read(key('u-nobody'))).resolves.toBeNull();
  });

  it('changes under the version read, audits before and after, and refuses a stale version', async () => {
    await user('u-1');
    const wanted = controls({
      status: 'SUSPENDED',
      max_per_transaction: 2_500,
      velocity_limits: [
        { interval: 'weekly', max_count: 3 },
        { interval: 'rolling_24h', max_amount: 7_500, max_count: 10 },
      ],
    });
    const first = await books.change(key('u-1'), {
      expected_version: 0,
      controls: wanted,
      actor: 'arn:aws:sts::1:assumed-role/demo/x',
      at: AT,
    });
    expect(first).toMatchObject({
      type: 'changed',
      record: { version: 1, controls: wanted, updated_by: 'arn:aws:sts::1:assumed-role/demo/x' },
    });
    await expect(books.read(key('u-1'))).resolves.toMatchObject({
      version: 1,
      controls: wanted,
      updated_at: '2026-12-01T12:00:00.000Z',
    });

    const stale = await books.change(key('u-1'), {
      expected_version: 0,
      controls: controls(),
      actor: 'someone',
      at: AT,
    });
    expect(stale).toMatchObject({ type: 'stale', current: { version: 1, controls: wanted } });
    await expect(
      books.change(key('u-nobody'), {
        expected_version: null,
        controls: controls(),
        actor: 'x',
        at: AT,
      }),
    ).resolves.toEqual({ type: 'unknown-user' });

    const { rows } = await db.sql.query(
      "SELECT version, changed_by, before::text AS before, after::text AS after, published_at FROM controls_audit WHERE user_id = 'u-1'",
    );
    expect(rows).toHaveLength(1);
    expect(JSON.parse(String(rows[0]?.after))).toEqual(wanted);
    expect(JSON.parse(String(rows[0]?.before))).toMatchObject({
      max_per_transaction: 50_000,
      velocity_limits: [{ interval: 'daily', max_amount: 100_000 }],
    });
    expect(rows[0]?.published_at).toBeNull();
  });

  it('keeps the audit append-only: one publication stamp, no edits, no deletes', async () => {
    await user('u-audit');
    await books.change(key('u-audit'), {
      expected_version: null,
      controls: controls({ status: 'CLOSED' }),
      actor: 'x',
      at: AT,
    });
    const pending = await books.unpublished(100, new Date('2026-12-01T12:00:01Z'));
    await expect(books.unpublished(100, AT)).resolves.toEqual([]); // not older than the bound
    expect(
      pending.map((change) => [
        change.record.user_id,
        change.record.version,
        change.record.controls.status,
      ]),
    ).toContainEqual(['u-audit', 1, 'CLOSED']);
    await books.markPublished(key('u-audit'), 1, AT);
    await books.markPublished(key('u-audit'), 1, new Date('2030-01-01T00:00:00Z')); // a second stamp is a no-op
    const { rows } = await db.sql.query(
      "SELECT published_at FROM controls_audit WHERE user_id = 'u-audit'",
    );
    expect(rows).toEqual([{ published_at: '2026-12-01T12:00:00.000Z' }]);
    expect(
      (await books.unpublished(100, new Date('2030-01-01T00:00:00Z'))).map(
        (change) => change.record.user_id,
      ),
    ).not.toContain('u-audit');
    await expect(
      db.sql.query("UPDATE controls_audit SET changed_by = 'forged' WHERE user_id = 'u-audit'"),
    ).rejects.toThrow(/append-only/);
    await expect(
      db.sql.query("DELETE FROM controls_audit WHERE user_id = 'u-audit'"),
    ).rejects.toThrow(/append-only/);
  });

  it('20 writers racing read-modify-write with If-Match never lose an update', async () => {
    await user('u-race');
    const writers = Array.from({ length: 20 }, async (_, writer) => {
      for (;;) {
        const seen = await books.read(key('u-race'));
        if (seen === null) throw new Error('user vanished');
        const next = {
          ...seen.controls,
          max_per_transaction:
            (seen.version === 0 ? 0 : (seen.controls.max_per_transaction ?? 0)) + 1,
        };
        const outcome = await books.change(key('u-race'), {
          expected_version: seen.version,
          controls: next,
          actor: `writer-${writer}`,
          at: AT,
        });
        if (outcome.type === 'changed') return outcome.record.version;
      }
    });
    const versions = await Promise.all(writers);
    expect([...versions].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, index) => index + 1),
    );
    await expect(books.read(key('u-race'))).resolves.toMatchObject({
      version: 20,
      controls: { max_per_transaction: 20 },
    });
    const { rows } = await db.sql.query(
      "SELECT count(DISTINCT changed_by)::int AS writers, count(*)::int AS changes FROM controls_audit WHERE user_id = 'u-race'",
    );
    expect(rows).toEqual([{ writers: 20, changes: 20 }]);
  });

  it('accepts CLOSED as a status', async () => {
    await user('u-closed', "'CLOSED', 'USD', NULL");
    await expect(books.read(key('u-closed'))).resolves.toMatchObject({
      controls: { status: 'CLOSED' },
    });
  });
});
