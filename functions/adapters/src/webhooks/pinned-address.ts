import { lookup } from 'node:dns/promises';

/** An address a callback host resolved to, checked once and then the only one connected to. */
export interface PinnedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/** Every address of a host name (A and AAAA). Injected so tests need no DNS. */
export type Resolver = (hostname: string) => Promise<readonly PinnedAddress[]>;

/** The system resolver, as a connection would use it (getaddrinfo: /etc/hosts, then DNS). */
export const systemResolver: Resolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => ({
    address: answer.address,
    family: answer.family === 6 ? 6 : 4,
  }));
};
