import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localPartner } from '../local/src/identity/local-partners.js';
import { startWebhookReceiver } from '../local/src/webhook-receiver.js';
import { runCli } from './support/cli-process.js';
import { depositCsv } from './support/deposit-files.js';
import { assertWebhookConforms } from './support/contract.js';
import { call, uploadDepositFile, waitForSummary } from './support/partner.js';
import { useStartedRuntime } from './support/started-runtime.js';
import { waitFor } from './support/wait-for.js';

/**
 * A partner's controls against `creditline start`, driven with the CLI as an operator would:
 * a daily limit set with `controls set`, spent up to, then the machine-readable decline; a
 * suspension that the very next decision enforces. Controls answers are also read over the
 * signed API, where every answer is held to the published contract.
 */
const USER = 'ct-ana';
const WATCHED = 'ct-ben';
/** Where the local `demo` partner's monitor callbacks go (its monitorCallbackUrl, `webhook listen`'s default). */
const MONITOR_PORT = 4100;
const T = '2026-03-01T09:00:00Z';

describe('account controls against the started runtime, with the CLI', () => {
  const { info, dataDir } = useStartedRuntime();
  const cli = (...args: string[]) => runCli([...args, '--partner', 'demo', '--data-dir', dataDir()]);
  const spend = (id: string, amount: string) => cli('authorize', '--user', USER, '--amount', amount, '--id', id);
  const parsed = (stdout: string) => JSON.parse(stdout) as Record<string, unknown>;

  beforeAll(async () => {
    const key = 'inbox/demo/ct-2026-03-01.csv';
    await uploadDepositFile(info(), key, depositCsv([
        { user_id: USER, amount: '100.00', deposit_id: 'ct-dep-1', timestamp: T },
        { user_id: WATCHED, amount: '100.00', deposit_id: 'ct-dep-2', timestamp: T },
      ]));
    await waitForSummary(info(), key);
  }, 60_000);

  it('a daily limit set with the CLI is spent up to exactly, then declined with a detail a machine reads', async () => {
    // Act
    const set = await cli('controls', 'set', USER, '--limit', 'daily:50.00:3');
    const read = await call(`${info().apiUrl}/v1/users/${USER}/controls`, {}, { partner: 'demo' });
    const first = await spend('ct-tx-1', '30.00');
    const second = await spend('ct-tx-2', '20.00');
    const over = await spend('ct-tx-3', '0.01');

    // Assert
    expect(set.code).toBe(0);
    expect(parsed(set.stdout)).toMatchObject({ user_id: USER, version: 1, velocity_limits: [{ interval: 'daily', max_amount: 5_000, max_count: 3 }] });
    expect(read).toMatchObject({ status: 200, body: { version: 1, status: 'ACTIVE' } });
    expect([first.code, second.code]).toEqual([0, 0]);
    expect(parsed(first.stdout)).toMatchObject({ status: 'PERMITTED', remaining_credit: 7_000 });
    expect(parsed(second.stdout)).toMatchObject({ status: 'PERMITTED', remaining_credit: 5_000 });
    // A decline is an answer, not a failure of the command: the JSON carries the detail.
    expect(parsed(over.stdout)).toMatchObject({
      status: 'REJECTED',
      reason: 'VELOCITY_LIMIT_EXCEEDED',
      detail: { control: 'velocity', interval: 'daily', measure: 'amount', limit: 5_000, used: 5_000, remaining: 0 },
    });
    expect(over.stderr).toMatch(/REJECTED VELOCITY_LIMIT_EXCEEDED: daily amount limit 50\.00: used 50\.00, remaining 0\.00/);
  }, 120_000);

  it('a suspension set with the CLI applies to the very next decision, and lifting it restores spending', async () => {
    // Act
    const suspended = await cli('controls', 'set', USER, '--status', 'SUSPENDED', '--limit', 'daily:none');
    const refused = await spend('ct-tx-4', '1.00');
    const reactivated = await cli('controls', 'set', USER, '--status', 'ACTIVE');
    const permitted = await spend('ct-tx-5', '1.00');
    const shown = await cli('controls', 'get', USER);

    // Assert
    expect(suspended.code).toBe(0);
    expect(parsed(refused.stdout)).toMatchObject({ status: 'REJECTED', reason: 'ACCOUNT_SUSPENDED', detail: { control: 'status', status: 'SUSPENDED' } });
    expect(reactivated.code).toBe(0);
    expect(parsed(permitted.stdout)).toMatchObject({ status: 'PERMITTED', remaining_credit: 4_900 });
    expect(parsed(shown.stdout)).toMatchObject({ version: 3, status: 'ACTIVE', velocity_limits: [] });
  }, 120_000);

  describe('balance monitors', () => {
    let hooks: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
    beforeAll(async () => {
      hooks = await startWebhookReceiver({ port: MONITOR_PORT, secret: localPartner('demo').webhookSecret });
    });
    afterAll(async () => {
      await hooks?.stop();
    });

    it('fire once per crossing, either way, as signed callbacks to the partner’s monitor URL', async () => {
      // Prepare: the user watches 50.00
      const watched = await call(
        `${info().apiUrl}/v1/users/${WATCHED}/controls`,
        { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ balance_monitors: ['50.00'] }) },
        { partner: 'demo' },
      );
      expect(watched.status).toBe(200);

      // Act: 100.00 → 60.00 → 40.00 (below) → 30.00 (still below), then a deposit brings it to 80.00
      for (const [id, amount] of [['ct-w-1', '40.00'], ['ct-w-2', '20.00'], ['ct-w-3', '10.00']] as const) {
        await cli('authorize', '--user', WATCHED, '--amount', amount, '--id', id);
      }
      const key = 'inbox/demo/ct-2026-03-01-more.csv';
      await uploadDepositFile(info(), key, depositCsv([{ user_id: WATCHED, amount: '50.00', deposit_id: 'ct-dep-3', timestamp: T }]));
      await waitForSummary(info(), key);
      const received = () => hooks?.deliveries ?? [];
      await waitFor('both crossings delivered', () => (received().length >= 2 ? true : undefined), { timeoutMs: 60_000 });
      // Anything sent twice would arrive within the settle time too.
      await new Promise((resolve) => setTimeout(resolve, 3_000));

      // Assert
      const deliveries = received();
      expect(deliveries.map((delivery) => delivery.verified)).toEqual([true, true]);
      expect(deliveries.map((delivery) => delivery.payload)).toEqual([
        expect.objectContaining({ type: 'BalanceLow', user_id: WATCHED, threshold: 5_000, previous: 6_000, available: 4_000 }),
        expect.objectContaining({ type: 'BalanceRestored', user_id: WATCHED, threshold: 5_000, previous: 3_000, available: 8_000 }),
      ]);
      for (const delivery of deliveries) {
        assertWebhookConforms((delivery.payload as { type: string }).type, delivery.payload);
        expect(delivery.id).toMatch(/^balance#/);
      }
    }, 120_000);
  });
});
