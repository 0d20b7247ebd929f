import dc from 'node:diagnostics_channel';
import { createServer, type ClientRequest, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { CreditAccountBooks } from '@creditline/domain';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHandler } from './create-handler.js';
import { httpEvent } from './fixtures/test-events.js';
import { acmePartner } from './fixtures/validator-harness.js';
import { createValidatorHarness, type ValidatorHarness } from './fixtures/validator-harness.js';

/**
 * The decision path's cost and side effects, counted on the wire: what the DynamoDB client
 * sends (client middleware), and every HTTP request or socket the process opens.
 */
describe('the decision hot path', () => {
  let harness: ValidatorHarness;
  let booksReads = 0;
  let recorder: Server;
  let recorderUrl: string;
  const recorded: string[] = [];

  beforeAll(async () => {
    recorder = createServer((request, response) => {
      recorded.push(`${request.method ?? '?'} ${request.url ?? ''}`);
      response.writeHead(200).end('{}');
    });
    await new Promise<void>((resolve) => recorder.listen(0, '127.0.0.1', resolve));
    recorderUrl = `http://127.0.0.1:${(recorder.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => recorder.close(() => resolve())));
  afterEach(async () => {
    await harness.drop();
  });

  const setUp = async () => {
    booksReads = 0;
    harness = await createValidatorHarness({
      // The recorder (on loopback) stands in for the partner's callback receiver.
      partners: [{ ...acmePartner, callbackHosts: [...acmePartner.callbackHosts, '127.0.0.1'] }],
      wrapStores: (stores) => ({
        ...stores,
        books: {
          find: (partnerId, userId) => {
            booksReads += 1;
            return stores.books.find(partnerId, userId);
          },
        } satisfies CreditAccountBooks,
      }),
    });
    await harness.seedCache({ user_id: 'user-42', available: 10_000, version: 3 });
    harness.sent.length = 0;
    return createHandler(harness.deps);
  };

  it('a PERMIT is three single-item writes: the claim, one conditional UpdateItem on the account, the finalize', async () => {
    // Prepare
    const handle = await setUp();

    // Act
    const response = await handle(
      httpEvent({ body: { transaction_id: 'tx-hot', user_id: 'user-42', amount: '10.00' } }),
    );

    // Assess
    expect(response?.statusCode).toBe(200);
    expect(JSON.parse(response?.body ?? '{}')).toMatchObject({
      status: 'PERMITTED',
      remaining_credit: 9_000,
    });
    expect(harness.sent.map((sent) => `${sent.operation} ${String(sent.body.TableName)}`)).toEqual([
      `PutItem ${harness.dynamo.tables.transactionLog}`,
      `UpdateItem ${harness.dynamo.tables.creditCache}`,
      `UpdateItem ${harness.dynamo.tables.transactionLog}`,
    ]);
    const [claim, hold, finalize] = harness.sent.map((sent) => sent.body);
    expect(claim).toMatchObject({
      ConditionExpression: 'attribute_not_exists(pk)',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    // No version guard, no read before it: the rules are the condition, values only
    expect(hold).toMatchObject({
      ReturnValues: 'ALL_NEW',
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(String(hold?.ConditionExpression)).not.toMatch(/version/);
    expect(String(hold?.ConditionExpression)).toMatch(/#available >= :v\d/);
    expect(finalize).toMatchObject({
      ConditionExpression: '#state = :claimed AND #attempt = :attempt',
    });
    expect(
      harness.sent.some(
        (sent) => sent.operation === 'TransactWriteItems' || sent.operation === 'GetItem',
      ),
    ).toBe(false);
    expect(booksReads).toBe(0);
  });

  it('a REJECT is the same three writes: the refused UpdateItem names the reason from its old image', async () => {
    // Prepare
    const handle = await setUp();

    // Act
    const response = await handle(
      httpEvent({ body: { transaction_id: 'tx-no', user_id: 'user-42', amount: '100.01' } }),
    );

    // Assess
    expect(JSON.parse(response?.body ?? '{}')).toMatchObject({
      status: 'REJECTED',
      reason: 'INSUFFICIENT_FUNDS',
      remaining_credit: 10_000,
    });
    expect(harness.sent.map((sent) => sent.operation)).toEqual([
      'PutItem',
      'UpdateItem',
      'UpdateItem',
    ]);
    expect(await harness.cacheItem('user-42')).toMatchObject({ available: 10_000, version: 3 });
    expect(booksReads).toBe(0);
  });

  it('keeps the account item under 1 KB with its stamp, whatever the number of holds in flight', async () => {
    // Prepare
    const handle = await setUp();
    const longId = `tx-${'x'.repeat(120)}`;

    // Act
    for (let index = 0; index < 30; index += 1) {
      await handle(
        httpEvent({
          body: {
            transaction_id: `${longId}-${index}`,
            user_id: 'user-42',
            amount: '1.00',
            callback_url: 'https://hooks.acme.example/cb',
          },
        }),
      );
    }

    // Assess: the item holds one last_op, not a list of holds
    const item = await harness.cacheItem('user-42');
    expect(item).toMatchObject({ available: 7_000, pending: 3_000, version: 33 });
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(1_024);
  });

  it('sends nothing to EventBridge, SQS, Firehose or the callback URL before it answers: only DynamoDB is called', async () => {
    // Prepare: every AWS service the system uses points at the recorder, and so does the callback
    for (const service of ['EVENTBRIDGE', 'SQS', 'FIREHOSE', 'SCHEDULER', 'SECRETS_MANAGER']) {
      vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, recorderUrl);
    }
    const handle = await setUp();
    const outgoing: string[] = [];
    const onHttp = (message: unknown) => {
      const request = (message as { request: ClientRequest }).request;
      outgoing.push(`http ${String(request.getHeader('host'))}`);
    };
    const onFetch = (message: unknown) =>
      outgoing.push(`fetch ${(message as { request: { origin: string } }).request.origin}`);
    const onSocket = (message: unknown) => {
      const { socket } = message as { socket: Socket };
      socket.once('connect', () => outgoing.push(`socket ${String(socket.remotePort)}`));
    };
    dc.subscribe('http.client.request.start', onHttp);
    dc.subscribe('undici:request:create', onFetch);
    dc.subscribe('net.client.socket', onSocket);

    // Act
    const body = {
      transaction_id: 'tx-quiet',
      user_id: 'user-42',
      amount: '1.00',
      callback_url: `${recorderUrl}/callback`,
    };
    const response = await handle(httpEvent({ body }));
    const seenAtAnswer = [...recorded];
    dc.unsubscribe('http.client.request.start', onHttp);
    dc.unsubscribe('undici:request:create', onFetch);
    dc.unsubscribe('net.client.socket', onSocket);

    // Assess
    expect(response?.statusCode).toBe(200);
    expect(seenAtAnswer).toEqual([]);
    expect(outgoing.filter((entry) => entry.startsWith('fetch'))).toEqual([]);
    const dynamo = new URL(harness.dynamo.endpoint);
    expect(outgoing.filter((entry) => entry.startsWith('http '))).toEqual([
      `http ${dynamo.host}`,
      `http ${dynamo.host}`,
      `http ${dynamo.host}`,
    ]);
    const sockets = outgoing.filter((entry) => entry.startsWith('socket '));
    expect(sockets.length).toBeGreaterThan(0);
    expect(new Set(sockets)).toEqual(new Set([`socket ${dynamo.port}`]));
    // The decision waits in the TransactionLog, whose stream is the outbox.
    expect(await harness.logItems()).toMatchObject([
      { transaction_id: 'tx-quiet', callback_url: `${recorderUrl}/callback` },
    ]);
    expect(recorded).toEqual([]);
  });
});
