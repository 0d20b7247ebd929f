import { err, ok, type Result } from '@creditline/domain';
import type { Stage } from '../config/env.js';
import { classifyAddress, type AddressCategory } from './ip-address.js';
import type { PinnedAddress, Resolver } from './pinned-address.js';

/**
 * The SSRF guard in front of every callback. A URL passes only when:
 * 1. it parses (WHATWG rules: decimal, hex and octal IPv4 spellings such as `2130706433`,
 *    `0x7f.1` or `0177.0.0.1` are normalised to the dotted address they mean, so they are
 *    judged as that address, never as a name);
 * 2. its scheme is https (http only in the `local` stage, and only to loopback receivers);
 * 3. it carries no credentials;
 * 4. its host is on the partner's allow-list (exact, or `*.suffix` for strict subdomains);
 * 5. every address the host resolves to is public unicast. In the `local` stage alone,
 *    loopback is accepted too, and only for hosts on the allow-list (step 4 came first):
 *    that is how a developer's receiver on 127.0.0.1 gets callbacks, and nothing else.
 * The addresses returned are the ones checked: the sender connects to them and never asks DNS
 * again, so a rebinding answer cannot slip in between the check and the connection.
 */
export type RefusalCode =
  | 'INVALID_URL'
  | 'SCHEME_NOT_ALLOWED'
  | 'CREDENTIALS_IN_URL'
  | 'HOST_NOT_ALLOWED'
  | 'ADDRESS_NOT_PUBLIC'
  | 'DNS_LOOKUP_FAILED';

export interface Refusal {
  readonly code: RefusalCode;
  readonly message: string;
  /** False when trying later can help (a DNS failure); the others need a configuration change. */
  readonly permanent: boolean;
}

export interface ClearedCallback {
  readonly url: URL;
  readonly hostname: string;
  readonly addresses: readonly PinnedAddress[];
}

export interface GuardPolicy {
  readonly stage: Stage;
  readonly resolve: Resolver;
}

const refuse = (
  code: RefusalCode,
  message: string,
  permanent = true,
): Result<ClearedCallback, Refusal> => err({ code, message, permanent });

const normaliseHost = (host: string): string =>
  host
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');

/** `hostname` is on the list exactly, or is a strict subdomain of a `*.suffix` entry. */
export const isHostAllowed = (hostname: string, allowedHosts: readonly string[]): boolean => {
  const host = normaliseHost(hostname);
  return allowedHosts.some((entry) => {
    const allowed = normaliseHost(entry.trim());
    if (allowed.startsWith('*.')) {
      const suffix = allowed.slice(2);
      return suffix.length > 0 && host.endsWith(`.${suffix}`);
    }
    return host === allowed;
  });
};

const acceptable = (category: AddressCategory, stage: Stage): boolean =>
  category === 'public' || (stage === 'local' && category === 'loopback');

export const guardCallbackUrl = async (
  rawUrl: string,
  allowedHosts: readonly string[],
  policy: GuardPolicy,
): Promise<Result<ClearedCallback, Refusal>> => {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return refuse('INVALID_URL', 'callback_url is not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && policy.stage === 'local')) {
    return refuse(
      'SCHEME_NOT_ALLOWED',
      `scheme ${url.protocol} is not allowed in the ${policy.stage} stage (https only)`,
    );
  }
  if (url.username !== '' || url.password !== '')
    return refuse('CREDENTIALS_IN_URL', 'callback_url must not carry credentials');
  const hostname = normaliseHost(url.hostname);
  if (!isHostAllowed(hostname, allowedHosts))
    return refuse('HOST_NOT_ALLOWED', `host ${hostname} is not on the partner's allow-list`);

  const literal = classifyAddress(hostname);
  let addresses: readonly PinnedAddress[];
  if (literal) {
    addresses = [{ address: literal.address, family: literal.family }];
  } else {
    try {
      addresses = await policy.resolve(hostname);
    } catch (error) {
      return refuse(
        'DNS_LOOKUP_FAILED',
        `${hostname} did not resolve: ${error instanceof Error ? error.message : String(error)}`,
        false,
      );
    }
    if (addresses.length === 0)
      return refuse('DNS_LOOKUP_FAILED', `${hostname} resolved to no address`, false);
  }

  const verdicts = addresses.map((pinned) => ({
    pinned,
    category: classifyAddress(pinned.address)?.category ?? 'reserved',
  }));
  const bad = verdicts.find((verdict) => !acceptable(verdict.category, policy.stage));
  if (bad)
    return refuse(
      'ADDRESS_NOT_PUBLIC',
      `${hostname} resolves to ${bad.pinned.address} (${bad.category})`,
    );
  if (url.protocol === 'http:' && verdicts.some((verdict) => verdict.category !== 'loopback')) {
    return refuse(
      'SCHEME_NOT_ALLOWED',
      'http is allowed only to loopback receivers in the local stage',
    );
  }
  return ok({ url, hostname, addresses });
};

export interface CallbackGuard {
  check(rawUrl: string, allowedHosts: readonly string[]): Promise<Result<ClearedCallback, Refusal>>;
}

/** The guard bound to a stage and a resolver, built once per cold start. */
export const createCallbackGuard = (policy: GuardPolicy): CallbackGuard => ({
  check: (rawUrl, allowedHosts) => guardCallbackUrl(rawUrl, allowedHosts, policy),
});
