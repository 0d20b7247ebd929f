import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';

export interface Delivery {
  readonly id: string;
  readonly timestamp: string;
  readonly verified: boolean;
  readonly payload: unknown;
  readonly error?: string;
  /** 1 for the first time an id arrives, 2+ for retries after a failure answered here. */
  readonly attempt: number;
  readonly answered: number;
}

/**
 * A partner's webhook endpoint on 127.0.0.1: verifies Standard Webhooks signatures with the
 * reference implementation and records every delivery. `failFirst` answers 503 to the first N
 * attempts of each id, to watch the dispatcher's retries.
 */
export const startWebhookReceiver = async (options: {
  port: number;
  secret: string;
  failFirst?: number;
  onDelivery?: (delivery: Delivery) => void;
}): Promise<{ url: string; deliveries: Delivery[]; server: Server; stop(): Promise<void> }> => {
  const webhook = new Webhook(options.secret);
  const deliveries: Delivery[] = [];
  const attempts = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) if (typeof value === 'string') headers[name] = value;
      const id = headers['webhook-id'] ?? '';
      const attempt = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, attempt);
      let verified = false;
      let payload: unknown = body;
      let error: string | undefined;
      try {
        payload = webhook.verify(body, headers);
        verified = true;
      } catch (failure) {
        error = failure instanceof Error ? failure.message : String(failure);
      }
      const answered = !verified ? 400 : attempt <= (options.failFirst ?? 0) ? 503 : 200;
      const delivery: Delivery = { id, timestamp: headers['webhook-timestamp'] ?? '', verified, payload, attempt, answered, ...(error ? { error } : {}) };
      deliveries.push(delivery);
      options.onDelivery?.(delivery);
      response.writeHead(answered, { 'content-type': 'application/json' }).end(JSON.stringify({ received: answered === 200 }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries,
    server,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
