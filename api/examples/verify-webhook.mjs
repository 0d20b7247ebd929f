// Verifying a creditline webhook in Node with the Standard Webhooks library (npm i standardwebhooks).
// Keep the raw body: the signature covers the exact bytes sent, not a re-serialisation.
import { createServer } from 'node:http';
import { Webhook } from 'standardwebhooks';

/**
 * During a key rotation creditline signs with both keys (`webhook-signature: v1,<old> v1,<new>`),
 * so an endpoint holding either secret verifies every delivery; hold both while you switch.
 */
export const verifyCreditlineWebhook = (rawBody, headers, secrets) => {
  let lastError;
  for (const secret of secrets) {
    try {
      return new Webhook(secret).verify(rawBody, headers); // checks the signature and the timestamp (±5 min)
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
};

export const createWebhookEndpoint = (secrets, onDecision) =>
  createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      let decision;
      try {
        decision = verifyCreditlineWebhook(Buffer.concat(chunks).toString('utf8'), request.headers, secrets);
      } catch {
        response.writeHead(400).end(); // not from creditline: creditline retries only what it sent
        return;
      }
      // webhook-id is the transaction_id, the same on every retry and replay: deduplicate on it.
      onDecision(request.headers['webhook-id'], decision);
      response.writeHead(204).end();
    });
  });

if (import.meta.url === `file://${process.argv[1]}`) {
  const secrets = (process.env.CREDITLINE_WEBHOOK_SECRETS ?? '').split(',').filter(Boolean);
  createWebhookEndpoint(secrets, (id, decision) => console.log(id, decision)).listen(Number(process.env.PORT ?? 4100));
}
