import { Resolver as DnsResolver } from 'node:dns/promises';

/** An address a callback host resolved to, checked once and then the only one connected to. */
export interface PinnedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address of a host name (A and AAAA). Injected so tests need no DNS. */
export type Resolver = (hostname: string) => Promise<readonly PinnedAddress[]>;

/** A partner's DNS that does not answer must not hold a delivery past this. */
export const DNS_TIMEOUT_MS = 1_000;

const NO_DATA = new Set(['ENODATA', 'ENOTFOUND']);

/**
 * Resolves with c-ares (`dns.Resolver`), not getaddrinfo: getaddrinfo runs on libuv's small
 * thread pool (4 threads), where one partner's slow DNS would queue every other partner's
 * lookups, and the file system, behind it. Each query has its own timeout (`timeoutMs`, one
 * try) and the whole resolution is bounded by it too. `localhost` names are loopback by
 * definition (RFC 6761) and never asked of DNS.
 */
export const createDnsResolver = (options: { readonly timeoutMs?: number } = {}): Resolver => {
  const timeoutMs = options.timeoutMs ?? DNS_TIMEOUT_MS;
  const dns = new DnsResolver({ timeout: timeoutMs, tries: 1 });
  const family = async (query: Promise<string[]>, version: 4 | 6): Promise<PinnedAddress[]> => {
    try {
      return (await query).map((address) => ({ address, family: version }));
    } catch (error) {
      if (NO_DATA.has((error as NodeJS.ErrnoException).code ?? '')) return [];
      throw error;
    }
  };
  return async (hostname) => {
    const name = hostname.toLowerCase();
    if (name === 'localhost' || name.endsWith('.localhost'))
      return [
        { address: '127.0.0.1', family: 4 },
        { address: '::1', family: 6 },
      ];
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      // No dns.cancel(): it would cancel every partner's queries on this resolver, not just this one.
      timer = setTimeout(() => {
        reject(Object.assign(new Error(`DNS did not answer for ${hostname} within ${timeoutMs} ms`), { code: 'ETIMEOUT' }));
      }, timeoutMs);
    });
    try {
      const answers = await Promise.race([Promise.all([family(dns.resolve4(hostname), 4), family(dns.resolve6(hostname), 6)]), deadline]);
      return answers.flat();
    } finally {
      clearTimeout(timer);
    }
  };
};

/** The resolver the dispatcher uses unless a test injects one. */
export const systemResolver: Resolver = createDnsResolver();
