import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookSender } from './http-sender.js';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real receiver on 127.0.0.1; `answer` decides what each request gets (or nothing at all). */
const startReceiver = async (answer: (response: import('node:http').ServerResponse) => void) => {
  const received: Received[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

const loopback = [{ address: '127.0.0.1', family: 4 as const }];

describe('webhook HTTP sender', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(closers.splice(0).map((close) => close()));
  });

  it('POSTs the body with the signature headers to the pinned address, even for a name DNS does not know', async () => {
    // Prepare: `callbacks.partner.invalid` cannot resolve, so arriving proves no DNS lookup happened
    const receiver = await startReceiver((response) => response.writeHead(204).end());
    closers.push(receiver.close);

    // Act
    const outcome = await createWebhookSender().send({
      url: new URL(`http://callbacks.partner.invalid:${receiver.port}/hooks?x=1`),
      addresses: loopback,
      headers: {
        'webhook-id': 'tx-1',
        'webhook-timestamp': '1795622880',
        'webhook-signature': 'v1,abc=',
      },
      body: '{"transaction_id":"tx-1"}',
    });

    // Assess
    expect(outcome).toEqual({ ...{ kind: 'answered', status: 204 }, latencyMs: expect.any(Number) as number });
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.body).toBe('{"transaction_id":"tx-1"}');
    expect(receiver.received[0]?.headers).toMatchObject({
      host: `callbacks.partner.invalid:${receiver.port}`,
      'content-type': 'application/json',
      'webhook-id': 'tx-1',
      'webhook-timestamp': '1795622880',
      'webhook-signature': 'v1,abc=',
    });
  });

  it('never follows a redirect: the 3xx is the outcome and the Location is not visited', async () => {
    // Prepare
    const elsewhere = await startReceiver((response) => response.writeHead(200).end());
    const redirecting = await startReceiver((response) =>
      response.writeHead(302, { location: `http://127.0.0.1:${elsewhere.port}/` }).end(),
    );
    closers.push(elsewhere.close, redirecting.close);

    // Act
    const outcome = await createWebhookSender().send({
      url: new URL(`http://127.0.0.1:${redirecting.port}/`),
      addresses: loopback,
      headers: {},
      body: '{}',
    });

    // Assess
    expect(outcome).toEqual({ ...{ kind: 'answered', status: 302 }, latencyMs: expect.any(Number) as number });
    expect(elsewhere.received).toHaveLength(0);
  });

  it('gives up on a receiver that never answers once the timeout passes', async () => {
    // Prepare
    const silent = await startReceiver(() => undefined);
    closers.push(silent.close);

    // Act
    const outcome = await createWebhookSender({ timeoutMs: 150 }).send({
      url: new URL(`http://127.0.0.1:${silent.port}/`),
      addresses: loopback,
      headers: {},
      body: '{}',
    });

    // Assess
    expect(outcome).toEqual({ ...{ kind: 'timeout' }, latencyMs: expect.any(Number) as number });
    expect(silent.received).toHaveLength(1);
  });

  it('reports a refused connection as a network error', async () => {
    // Prepare: a port that was free a moment ago
    const gone = await startReceiver((response) => response.end());
    await gone.close();

    // Act
    const outcome = await createWebhookSender().send({
      url: new URL(`http://127.0.0.1:${gone.port}/`),
      addresses: loopback,
      headers: {},
      body: '{}',
    });

    // Assess
    expect(outcome).toMatchObject({ kind: 'network-error', code: 'ECONNREFUSED' });
  });

  it('connects only to pinned addresses of the family asked for', async () => {
    // Prepare: only an IPv6 pin for an IPv4-only listener: the connection must not find another way
    const receiver = await startReceiver((response) => response.writeHead(200).end());
    closers.push(receiver.close);

    // Act
    const outcome = await createWebhookSender().send({
      url: new URL(`http://callbacks.partner.invalid:${receiver.port}/`),
      addresses: [{ address: '::1', family: 6 }],
      headers: {},
      body: '{}',
    });

    // Assess
    expect(outcome.kind).toBe('network-error');
    expect(receiver.received).toHaveLength(0);
  });
});
