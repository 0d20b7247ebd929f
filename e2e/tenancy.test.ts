import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { localCredentials, localRegion } from '@creditline/stand-ins';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOCAL_REGION, localPartner } from '../local/src/identity/local-partners.js';
import { signRequest } from '../local/src/identity/sigv4.js';
import { localNames } from '../local/src/runtime/settings.js';
import { startWebhookReceiver } from '../local/src/webhook-receiver.js';
import { readBooks } from './support/books.js';
import { runCli } from './support/cli-process.js';
import { depositCsv } from './support/deposit-files.js';
import {
  authorize,
  balanceOf,
  deliveriesOf,
  publishTransactionRequested,
  transactionOf,
  uploadDepositFile,
  waitForSummary,
} from './support/partner.js';
import { useStartedRuntime } from './support/started-runtime.js';
import { waitFor } from './support/wait-for.js';

/**
 * Two partners, `demo` and `acme`, against one started runtime, using the same user ids,
 * transaction ids and deposit ids on purpose: each is decided on its own credit, and every
 * cross-tenant attempt (read, spend, id taken first, deposit id claimed first, forged event
 * source or account, unsigned or wrongly signed request) is refused or isolated. The tests run
 * in order and share the runtime.
 */
const T = '2026-02-01T09:00:00Z';
const SHARED_USER = 'tn-shared';
const DEMO_ONLY_USER = 'tn-demo-only';

describe('two partners against the started runtime', () => {
  const runtime = useStartedRuntime();
  const { info } = runtime;
  let acmeHooks: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;
  let demoHooks: Awaited<ReturnType<typeof startWebhookReceiver>> | undefined;

  beforeAll(async () => {
    [acmeHooks, demoHooks] = await Promise.all([
      startWebhookReceiver({ port: 0, secret: localPartner('acme').webhookSecret }),
      startWebhookReceiver({ port: 0, secret: localPartner('demo').webhookSecret }),
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([acmeHooks?.stop(), demoHooks?.stop()]);
  }, 120_000);

  it("credits both partners' user of the same name, and a deposit id acme used first does not pre-claim demo's", async () => {
    // Prepare: acme uploads first, under the deposit id demo uses too
    const acmeKey = 'inbox/acme/tn-2026-02-01.csv';
    const demoKey = 'inbox/demo/tn-2026-02-01.csv';

    // Act
    await uploadDepositFile(
      info(),
      acmeKey,
      depositCsv([{ user_id: SHARED_USER, amount: '10.00', deposit_id: 'tn-dep-1', timestamp: T }]),
    );
    const acmeSummary = await waitForSummary(info(), acmeKey);
    await uploadDepositFile(
      info(),
      demoKey,
      depositCsv([
        { user_id: SHARED_USER, amount: '100.00', deposit_id: 'tn-dep-1', timestamp: T },
        { user_id: DEMO_ONLY_USER, amount: '50.00', deposit_id: 'tn-dep-2', timestamp: T },
      ]),
    );
    const demoSummary = await waitForSummary(info(), demoKey);

    // Assess
    expect(acmeSummary).toMatchObject({ accepted: 1, duplicates: 0, credited_amount: 1_000 });
    expect(demoSummary).toMatchObject({ accepted: 2, duplicates: 0, credited_amount: 15_000 });
    expect((await balanceOf(info(), SHARED_USER, { partner: 'acme' })).body).toMatchObject({
      available: 1_000,
    });
    expect((await balanceOf(info(), SHARED_USER, { partner: 'demo' })).body).toMatchObject({
      available: 10_000,
    });
  }, 120_000);

  it('decides the same transaction_id of both partners, each on its own credit', async () => {
    // Act
    const demo = await authorize(
      info(),
      { transaction_id: 'tn-tx-1', user_id: SHARED_USER, amount: '25.00' },
      { partner: 'demo' },
    );
    const acme = await authorize(
      info(),
      {
        transaction_id: 'tn-tx-1',
        user_id: SHARED_USER,
        amount: '25.00',
        callback_url: `${acmeHooks?.url ?? ''}/hook`,
      },
      { partner: 'acme' },
    );

    // Assess: demo permitted on 100.00; acme has 10.00 and is refused, without the credit figure
    expect(demo).toMatchObject({
      status: 200,
      body: { status: 'PERMITTED', reason: null, remaining_credit: 7_500 },
    });
    expect(acme).toMatchObject({
      status: 200,
      body: { status: 'REJECTED', reason: 'INSUFFICIENT_FUNDS' },
    });
    expect((await transactionOf(info(), 'tn-tx-1', { partner: 'demo' })).body).toMatchObject({
      status: 'PERMITTED',
    });
    expect((await transactionOf(info(), 'tn-tx-1', { partner: 'acme' })).body).toMatchObject({
      status: 'REJECTED',
    });
    // The callback of acme's HTTP decision goes, signed, to acme (and nothing to demo).
    const delivered = await waitFor('the callback of acme’s decision', () =>
      acmeHooks?.deliveries.find((delivery) => delivery.id === 'tn-tx-1' && delivery.verified),
    );
    expect(delivered.payload).toMatchObject({ transaction_id: 'tn-tx-1', status: 'REJECTED' });
    expect(demoHooks?.deliveries).toEqual([]);
  }, 60_000);

  it("answers acme's reads of demo's transaction and user exactly like ids nobody has", async () => {
    // Prepare
    await authorize(
      info(),
      { transaction_id: 'tn-tx-demo', user_id: DEMO_ONLY_USER, amount: '5.00' },
      { partner: 'demo' },
    );

    // Act
    const theirs = await transactionOf(info(), 'tn-tx-demo', { partner: 'acme' });
    const nobodys = await transactionOf(info(), 'tn-tx-nobody', { partner: 'acme' });
    const theirDeliveries = await deliveriesOf(info(), 'tn-tx-demo', { partner: 'acme' });
    const theirUser = await balanceOf(info(), DEMO_ONLY_USER, { partner: 'acme' });
    const nobody = await balanceOf(info(), 'tn-nobody', { partner: 'acme' });
    const cliTransaction = await runCli([
      'transactions',
      'tn-tx-demo',
      '--partner',
      'acme',
      '--data-dir',
      runtime.dataDir(),
    ]);
    const cliBalance = await runCli([
      'balance',
      DEMO_ONLY_USER,
      '--partner',
      'acme',
      '--data-dir',
      runtime.dataDir(),
    ]);

    // Assess
    expect(theirs).toEqual(nobodys);
    expect(theirs.status).toBe(404);
    expect(theirDeliveries.status).toBe(404);
    expect(theirDeliveries.body).toEqual(nobodys.body);
    expect(theirUser).toEqual(nobody);
    expect(theirUser.status).toBe(404);
    expect(cliTransaction.code).not.toBe(0);
    expect(cliBalance.code).not.toBe(0);
    expect(cliTransaction.stdout).toContain('NOT_FOUND');
  }, 60_000);

  it("cannot spend demo's user: acme's authorization is UNKNOWN_USER with no credit, demo's books unchanged", async () => {
    // Prepare
    const before = (await balanceOf(info(), DEMO_ONLY_USER, { partner: 'demo' })).body;

    // Act
    const spent = await authorize(
      info(),
      { transaction_id: 'tn-tx-steal', user_id: DEMO_ONLY_USER, amount: '1.00' },
      { partner: 'acme' },
    );

    // Assess
    expect(spent.body).toMatchObject({
      status: 'REJECTED',
      reason: 'UNKNOWN_USER',
      remaining_credit: 0,
    });
    expect((await balanceOf(info(), DEMO_ONLY_USER, { partner: 'demo' })).body).toEqual(before);
    expect((await transactionOf(info(), 'tn-tx-steal', { partner: 'demo' })).status).toBe(404);
  });

  it('refuses an unsigned request and one signed with a wrong secret with 403, deciding nothing', async () => {
    // Prepare
    const url = new URL(`${info().apiUrl}/v1/transactions`);
    const body = JSON.stringify({
      transaction_id: 'tn-tx-unsigned',
      user_id: SHARED_USER,
      amount: '1.00',
    });
    const forged = await signRequest(
      { method: 'POST', url, headers: { 'content-type': 'application/json' }, body },
      { ...localPartner('demo'), secretAccessKey: 'not-the-secret-of-demo-0000000000000000' },
      { region: LOCAL_REGION, service: 'execute-api' },
    );
    const send = (headers: Record<string, string>) =>
      fetch(url, {
        method: 'POST',
        headers: Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host')),
        body,
      });

    // Act
    const unsigned = await send({
      'content-type': 'application/json',
      'x-partner-account': '111111111111',
    });
    const wronglySigned = await send(forged);

    // Assess
    expect([unsigned.status, wronglySigned.status]).toEqual([403, 403]);
    expect((await transactionOf(info(), 'tn-tx-unsigned', { partner: 'demo' })).status).toBe(404);
  });

  it("drops an event under demo's source put from acme's account or creditline's own, deciding nothing", async () => {
    // Act: acme signs with its own credentials but names demo's source; the shared local key is creditline's account
    const asAcme = await publishTransactionRequested(
      info(),
      [{ transaction_id: 'tn-evt-forged', user_id: DEMO_ONLY_USER, amount: '1.00' }],
      'acme',
      'partner.demo',
    );
    const local = new EventBridgeClient({
      endpoint: info().awsEndpoint,
      region: localRegion,
      credentials: localCredentials,
    });
    try {
      await local.send(
        new PutEventsCommand({
          Entries: [
            {
              EventBusName: localNames.eventBus,
              Source: 'partner.demo',
              DetailType: 'TransactionRequested',
              Detail: JSON.stringify({
                transaction_id: 'tn-evt-local',
                user_id: DEMO_ONLY_USER,
                amount: '1.00',
              }),
            },
          ],
        }),
      );
    } finally {
      local.destroy();
    }
    // acme's own event, under its own source, is decided: the same path, so the forged ones had their chance.
    await publishTransactionRequested(
      info(),
      [{ transaction_id: 'tn-evt-acme', user_id: SHARED_USER, amount: '1.00' }],
      'acme',
    );
    await waitFor('acme’s own event decided', async () => {
      const answer = await transactionOf(info(), 'tn-evt-acme', { partner: 'acme' });
      return answer.status === 200 ? answer : undefined;
    });

    // Assess
    expect(asAcme.FailedEntryCount).toBe(0);
    for (const partner of ['demo', 'acme'])
      for (const id of ['tn-evt-forged', 'tn-evt-local'])
        expect((await transactionOf(info(), id, { partner })).status).toBe(404);
  }, 60_000);

  it("keeps each partner's books exact: deposits minus permits, in the API, CreditCache and Aurora", async () => {
    // Act
    const demo = await readBooks(info(), 'demo');
    const acme = await readBooks(info(), 'acme');

    // Assess: demo 100.00 - 25.00 on the shared user, 50.00 - 5.00 on its own; acme 10.00 - 1.00 (its event)
    expect(Object.fromEntries(demo.cacheAvailable)).toEqual({
      [SHARED_USER]: 7_500,
      [DEMO_ONLY_USER]: 4_500,
    });
    expect(Object.fromEntries(acme.cacheAvailable)).toEqual({ [SHARED_USER]: 900 });
    expect(demo.depositEvents).toBe(2);
    expect(acme.depositEvents).toBe(1);
    expect(Object.fromEntries(demo.auroraDepositSums)).toEqual({
      [SHARED_USER]: 10_000,
      [DEMO_ONLY_USER]: 5_000,
    });
    expect(Object.fromEntries(acme.auroraDepositSums)).toEqual({ [SHARED_USER]: 1_000 });
  });
});
