import { UsageError } from './command.js';
import { LOCAL_REGION, localPartner } from '../identity/local-partners.js';
import { signRequest } from '../identity/sigv4.js';

/** Calls the local HTTP API; a refused connection becomes one readable line. */
export const callApi = async (
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown }> => {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
  } catch (error) {
    throw new UsageError(
      `cannot reach ${url}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: shown as text
  }
  return { status: response.status, body };
};

/** Calls the local HTTP API as a partner: the request is SigV4-signed with that partner's local credentials. */
export const callApiAs = async (
  partnerId: string,
  url: string,
  init: {
    readonly method?: string;
    readonly headers?: Readonly<Record<string, string>>;
    readonly body?: string;
  } = {},
): Promise<{ status: number; body: unknown }> => {
  let partner;
  try {
    partner = localPartner(partnerId);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const method = init.method ?? 'GET';
  const headers = await signRequest(
    { method, url: new URL(url), headers: init.headers ?? {}, body: init.body ?? '' },
    partner,
    { region: LOCAL_REGION, service: 'execute-api' },
  );
  // fetch sets host itself, from the URL: the same value that was signed.
  const sent = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'host'));
  return callApi(url, {
    method,
    headers: sent,
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
};

export const printJson = (value: unknown): void => {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
};
