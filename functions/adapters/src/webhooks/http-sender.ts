import {
  request as httpRequest,
  type ClientRequest,
  type IncomingMessage,
  type RequestOptions,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { PinnedAddress } from './pinned-address.js';

/**
 * POSTs a signed callback. The connection goes only to the addresses the SSRF guard checked:
 * the `lookup` handed to the socket answers with them, so no second DNS query happens between
 * the check and the connection (TLS still verifies the certificate for the host name). One
 * fresh connection per send (no agent pooling across pins), redirects are never followed (a
 * 3xx is just a status), and the whole exchange is bounded by `timeoutMs`.
 */
export interface WebhookRequest {
  readonly url: URL;
  readonly addresses: readonly PinnedAddress[];
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** This send's bound, when the caller has less time than the sender's default. */
  readonly timeoutMs?: number;
}

/** Every outcome says how long it took, from the request's start. */
export type SendOutcome = { readonly latencyMs: number } & (
  | {
      readonly kind: 'answered';
      readonly status: number;
      /** The Retry-After header of a 429 or 503, as sent. */
      readonly retryAfter?: string;
    }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'network-error'; readonly code: string; readonly message: string }
);

type Outcome = SendOutcome extends infer O ? (O extends SendOutcome ? Omit<O, 'latencyMs'> : never) : never;

export interface WebhookSender {
  send(request: WebhookRequest): Promise<SendOutcome>;
}

export const CALLBACK_TIMEOUT_MS = 3_000;

/** A `lookup` that answers only with the pinned addresses (honouring a family filter). */
export const pinnedLookup = (addresses: readonly PinnedAddress[]): LookupFunction =>
  ((
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: (...args: unknown[]) => void,
  ) => {
    const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
    const matching = addresses.filter((pinned) => !family || pinned.family === family);
    if (matching.length === 0) {
      callback(
        Object.assign(new Error(`no pinned address for ${hostname}`), { code: 'ENOTFOUND' }),
      );
      return;
    }
    if (options.all)
      callback(
        null,
        matching.map(({ address, family: f }) => ({ address, family: f })),
      );
    else callback(null, matching[0]?.address, matching[0]?.family);
  }) as LookupFunction;

export const createWebhookSender = (
  options: { readonly timeoutMs?: number } = {},
): WebhookSender => {
  const timeoutMs = options.timeoutMs ?? CALLBACK_TIMEOUT_MS;
  return {
    send: ({ url, addresses, headers, body, timeoutMs: bound }) =>
      new Promise<SendOutcome>((resolve) => {
        const startedAt = performance.now();
        const payload = Buffer.from(body, 'utf8');
        const requestOptions: RequestOptions = {
          method: 'POST',
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(payload.length),
            'user-agent': 'creditline-webhooks/1',
          },
          lookup: pinnedLookup(addresses),
          agent: false,
        };
        let settled = false;
        const finish = (outcome: Outcome): void => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ ...outcome, latencyMs: Math.round(performance.now() - startedAt) });
        };
        const onResponse = (response: IncomingMessage): void => {
          // Only the status matters; the body is discarded and the connection closed.
          const retryAfter = response.headers['retry-after'];
          finish({ kind: 'answered', status: response.statusCode ?? 0, ...(retryAfter ? { retryAfter } : {}) });
          response.destroy();
          outgoing.destroy();
        };
        const outgoing: ClientRequest =
          url.protocol === 'https:'
            ? httpsRequest(url, requestOptions, onResponse)
            : httpRequest(url, requestOptions, onResponse);
        const timer = setTimeout(() => {
          finish({ kind: 'timeout' });
          outgoing.destroy();
        }, Math.min(bound ?? timeoutMs, timeoutMs));
        outgoing.on('error', (error: NodeJS.ErrnoException) => {
          finish({ kind: 'network-error', code: error.code ?? error.name, message: error.message });
        });
        outgoing.end(payload);
      }),
  };
};
