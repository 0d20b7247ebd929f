import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { Random } from '../random.js';
import type { FaultProfile } from '../faults/profile.js';
import type { Injector } from '../faults/scope.js';
import type { SimPartner } from './partners.js';

/**
 * The partners' callback endpoints: one server, a path per partner (`/hooks/<partner>`). Each
 * delivery is verified with the partner's secret by the reference Standard Webhooks library and
 * recorded. Faults are the receiver's own behaviour, drawn per (webhook-id, attempt) from the
 * seed: a 5xx, an answer slower than the sender's timeout, or no answer at all.
 */
export interface ReceivedCallback {
  readonly partner: string;
  readonly webhookId: string;
  readonly verified: boolean;
  readonly transactionId: string | undefined;
  readonly status: string | undefined;
  readonly answered: number | 'late' | 'hang';
}

export interface WebhookReceiver {
  readonly baseUrl: string;
  urlFor(partner: string): string;
  readonly received: readonly ReceivedCallback[];
  stop(): Promise<void>;
}

const readBody = (request: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', () => resolve(''));
  });

const transactionOf = (
  payload: unknown,
): { id: string | undefined; status: string | undefined } => {
  const data =
    (payload as { data?: Record<string, unknown> } | null)?.data ??
    (payload as Record<string, unknown> | null) ??
    {};
  const id = typeof data['transaction_id'] === 'string' ? data['transaction_id'] : undefined;
  const status = typeof data['status'] === 'string' ? data['status'] : undefined;
  return { id, status };
};

export const startWebhookReceiver = async (options: {
  readonly partners: readonly SimPartner[];
  readonly random: Random;
  readonly profile: FaultProfile;
  readonly injector: Injector;
  /** Beyond the sender's timeout. */
  readonly lateMs: number;
}): Promise<WebhookReceiver> => {
  const verifiers = new Map(
    options.partners.map((partner) => [partner.id, new Webhook(partner.webhookSecret)]),
  );
  const attempts = new Map<string, number>();
  const received: ReceivedCallback[] = [];
  const hanging = new Set<ServerResponse>();

  const server = createServer((request, response) => {
    void (async () => {
      const body = await readBody(request);
      const partner = (request.url ?? '').split('/')[2] ?? '';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers))
        if (typeof value === 'string') headers[name] = value;
      const webhookId = headers['webhook-id'] ?? '';
      let verified = false;
      let payload: unknown = null;
      try {
        payload = verifiers.get(partner)?.verify(body, headers) ?? null;
        verified = payload !== null;
      } catch {
        verified = false;
      }
      const attempt = (attempts.get(webhookId) ?? 0) + 1;
      attempts.set(webhookId, attempt);
      const { profile, injector } = options;
      const draw = options.random.fork(`${webhookId}#${attempt}`);
      const behaviour: ReceivedCallback['answered'] = !injector.enabled
        ? 200
        : draw.chance(profile.webhookHang)
          ? 'hang'
          : draw.chance(profile.webhookTimeout)
            ? 'late'
            : draw.chance(profile.webhook5xx)
              ? draw.pick([500, 502, 503])
              : 200;
      const { id, status } = transactionOf(payload);
      const answered = verified ? behaviour : 400;
      received.push({ partner, webhookId, verified, transactionId: id, status, answered });
      if (answered === 'hang') {
        injector.note('webhook-hang', `${webhookId} attempt ${attempt}`);
        hanging.add(response);
        return;
      }
      if (answered === 'late') {
        injector.note('webhook-timeout', `${webhookId} attempt ${attempt}`);
        await new Promise((resolve) => setTimeout(resolve, options.lateMs));
        if (!response.destroyed) response.writeHead(200).end();
        return;
      }
      if (answered >= 500)
        injector.note('webhook-5xx', `${webhookId} attempt ${attempt}: ${answered}`);
      response.writeHead(answered, { 'content-type': 'application/json' }).end('{}');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    urlFor: (partner) => `${baseUrl}/hooks/${partner}`,
    received,
    stop: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
