import { isIPv4, isIPv6 } from 'node:net';

/**
 * Which addresses a callback may connect to. Only globally reachable unicast is public;
 * everything else has a category naming why it is refused. Ranges from the IANA IPv4/IPv6
 * special-purpose registries; for IPv6 everything outside 2000::/3 is refused outright.
 */
export type AddressCategory =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'shared-cgnat'
  | 'link-local'
  | 'unique-local'
  | 'site-local'
  | 'multicast'
  | 'documentation'
  | 'benchmarking'
  | 'ipv4-mapped'
  | 'reserved';

export interface ClassifiedAddress {
  readonly address: string;
  readonly family: 4 | 6;
  readonly category: AddressCategory;
}

interface Range {
  readonly base: bigint;
  readonly prefix: number;
  readonly category: AddressCategory;
}

const ipv4ToBigInt = (address: string): bigint =>
  address.split('.').reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);

const ipv6ToBigInt = (address: string): bigint => {
  let text = address.split('%')[0] ?? '';
  // A trailing dotted quad (::ffff:127.0.0.1) is two hex groups written another way.
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const embedded = ipv4ToBigInt(text.slice(lastColon + 1));
    text = `${text.slice(0, lastColon + 1)}${(embedded >> 16n).toString(16)}:${(embedded & 0xffffn).toString(16)}`;
  }
  const groupsOf = (part: string): bigint[] =>
    part === '' ? [] : part.split(':').map((group) => BigInt(parseInt(group, 16)));
  const [head = '', tail] = text.split('::');
  const left = groupsOf(head);
  const right = tail === undefined ? [] : groupsOf(tail);
  const groups =
    tail === undefined
      ? left
      : [...left, ...Array<bigint>(8 - left.length - right.length).fill(0n), ...right];
  return groups.reduce((value, group) => (value << 16n) | group, 0n);
};

const v4 = (cidr: string, category: AddressCategory): Range => {
  const [base = '', prefix = '32'] = cidr.split('/');
  return { base: ipv4ToBigInt(base), prefix: Number(prefix), category };
};
const v6 = (cidr: string, category: AddressCategory): Range => {
  const [base = '', prefix = '128'] = cidr.split('/');
  return { base: ipv6ToBigInt(base), prefix: Number(prefix), category };
};

const IPV4_RANGES: readonly Range[] = [
  v4('0.0.0.0/8', 'unspecified'),
  v4('10.0.0.0/8', 'private'),
  v4('100.64.0.0/10', 'shared-cgnat'),
  v4('127.0.0.0/8', 'loopback'),
  v4('169.254.0.0/16', 'link-local'),
  v4('172.16.0.0/12', 'private'),
  v4('192.0.0.0/24', 'reserved'),
  v4('192.0.2.0/24', 'documentation'),
  v4('192.88.99.0/24', 'reserved'),
  v4('192.168.0.0/16', 'private'),
  v4('198.18.0.0/15', 'benchmarking'),
  v4('198.51.100.0/24', 'documentation'),
  v4('203.0.113.0/24', 'documentation'),
  v4('224.0.0.0/4', 'multicast'),
  v4('240.0.0.0/4', 'reserved'),
];

const NAT64 = v6('64:ff9b::/96', 'reserved');
const IPV6_RANGES: readonly Range[] = [
  v6('::/128', 'unspecified'),
  v6('::1/128', 'loopback'),
  v6('::ffff:0:0/96', 'ipv4-mapped'),
  v6('64:ff9b:1::/48', 'reserved'),
  v6('100::/64', 'reserved'),
  v6('2001:db8::/32', 'documentation'),
  v6('2001::/23', 'reserved'),
  v6('2002::/16', 'reserved'),
  v6('3fff::/20', 'documentation'),
  v6('5f00::/16', 'reserved'),
  v6('fc00::/7', 'unique-local'),
  v6('fe80::/10', 'link-local'),
  v6('fec0::/10', 'site-local'),
  v6('ff00::/8', 'multicast'),
];
const GLOBAL_UNICAST = v6('2000::/3', 'public');

const within = (value: bigint, range: Range, bits: number): boolean => {
  const shift = BigInt(bits - range.prefix);
  return value >> shift === range.base >> shift;
};

const classifyV4 = (address: string): AddressCategory => {
  const value = ipv4ToBigInt(address);
  return IPV4_RANGES.find((range) => within(value, range, 32))?.category ?? 'public';
};

const classifyV6 = (address: string): AddressCategory => {
  const value = ipv6ToBigInt(address);
  // NAT64 carries an IPv4 address in its last 32 bits: it is as public as that address.
  if (within(value, NAT64, 128)) {
    const embedded = value & 0xffffffffn;
    return classifyV4(
      [24n, 16n, 8n, 0n].map((shift) => String((embedded >> shift) & 0xffn)).join('.'),
    );
  }
  const special = IPV6_RANGES.find((range) => within(value, range, 128));
  if (special) return special.category;
  return within(value, GLOBAL_UNICAST, 128) ? 'public' : 'reserved';
};

/** Classifies an IP address (IPv6 with or without brackets); undefined when it is not one. */
export const classifyAddress = (input: string): ClassifiedAddress | undefined => {
  const address = input.startsWith('[') && input.endsWith(']') ? input.slice(1, -1) : input;
  if (isIPv4(address)) return { address, family: 4, category: classifyV4(address) };
  if (isIPv6(address)) return { address, family: 6, category: classifyV6(address) };
  return undefined;
};
