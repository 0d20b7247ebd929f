import { describe, expect, it } from 'vitest';
import { classifyAddress } from './ip-address.js';
import type { PinnedAddress, Resolver } from './pinned-address.js';
import { guardCallbackUrl, isHostAllowed, type RefusalCode } from './ssrf-guard.js';

/** DNS answers are injected so every case is deterministic (and rebinding can be staged). */
const answers: Readonly<Record<string, readonly string[]>> = {
  'hooks.acme-bank.example': ['93.184.216.34'],
  'api.partner.example': ['104.16.133.229', '2606:4700::6810:85e5'],
  'deep.api.partner.example': ['104.16.133.230'],
  'rebind.partner.example': ['93.184.216.34', '127.0.0.1'],
  'internal.partner.example': ['10.0.0.5'],
  'meta.partner.example': ['169.254.169.254'],
  'cgnat.partner.example': ['100.64.0.1'],
  'ula.partner.example': ['fd00::1'],
  'll6.partner.example': ['fe80::1'],
  'mapped.partner.example': ['::ffff:127.0.0.1'],
  'nat64.partner.example': ['64:ff9b::a9fe:a9fe'],
  'zero.partner.example': ['0.0.0.0'],
  'mcast.partner.example': ['224.0.0.1'],
  'bcast.partner.example': ['255.255.255.255'],
  'v6loop.partner.example': ['::1'],
  'private172.partner.example': ['172.16.5.4'],
  'private192.partner.example': ['192.168.1.1'],
  'teredo.partner.example': ['2001:0:4136:e378:8000:63bf:3fff:fdd2'],
  'sixtofour.partner.example': ['2002:7f00:1::1'],
  'doc.partner.example': ['192.0.2.10'],
  'nat64public.partner.example': ['64:ff9b::5db8:d822'],
  localhost: ['127.0.0.1', '::1'],
};
const resolve: Resolver = (hostname) => {
  const found = answers[hostname];
  if (!found)
    return Promise.reject(
      Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }),
    );
  return Promise.resolve(
    found.map((address): PinnedAddress => ({ address, family: address.includes(':') ? 6 : 4 })),
  );
};

const partnerHosts = ['hooks.acme-bank.example', '*.partner.example'];
/** A misconfigured partner whose list names loopback literally: spellings must still be judged as addresses. */
const literalHosts = ['127.0.0.1', '::ffff:7f00:1'];
const localHosts = ['127.0.0.1', 'localhost', '10.0.0.5', '169.254.169.254'];

describe('SSRF guard', () => {
  it.each<{ url: string; code: RefusalCode; hosts?: readonly string[] }>([
    { url: 'http://hooks.acme-bank.example/cb', code: 'SCHEME_NOT_ALLOWED' },
    { url: 'ftp://hooks.acme-bank.example/cb', code: 'SCHEME_NOT_ALLOWED' },
    { url: 'file:///etc/passwd', code: 'SCHEME_NOT_ALLOWED' },
    { url: 'javascript:alert(1)', code: 'SCHEME_NOT_ALLOWED' },
    { url: 'not a url', code: 'INVALID_URL' },
    { url: 'https://evil.example/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://hooks.acme-bank.example.evil.example/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://evilhooks.acme-bank.example/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://partner.example/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://notpartner.example/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://user:pass@hooks.acme-bank.example/cb', code: 'CREDENTIALS_IN_URL' },
    { url: 'https://hooks.acme-bank.example@evil.example/cb', code: 'CREDENTIALS_IN_URL' },
    { url: 'https://127.0.0.1/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://2130706433/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://0x7f.1/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://0177.0.0.1/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://[::1]/cb', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://169.254.169.254/latest/meta-data/', code: 'HOST_NOT_ALLOWED' },
    { url: 'https://rebind.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://internal.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://private172.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://private192.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://meta.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://cgnat.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://ula.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://ll6.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://mapped.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://nat64.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://zero.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://mcast.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://bcast.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://v6loop.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://teredo.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://sixtofour.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://doc.partner.example/cb', code: 'ADDRESS_NOT_PUBLIC' },
    { url: 'https://2130706433/cb', code: 'ADDRESS_NOT_PUBLIC', hosts: literalHosts },
    { url: 'https://0x7f.1/cb', code: 'ADDRESS_NOT_PUBLIC', hosts: literalHosts },
    { url: 'https://0177.0.0.1/cb', code: 'ADDRESS_NOT_PUBLIC', hosts: literalHosts },
    { url: 'https://0x7f000001/cb', code: 'ADDRESS_NOT_PUBLIC', hosts: literalHosts },
    { url: 'https://127.1/cb', code: 'ADDRESS_NOT_PUBLIC', hosts: literalHosts },
    { url: 'https://[::ffff:127.0.0.1]/cb', code: 'ADDRESS_NOT_PUBLIC', hosts: literalHosts },
  ])(
    'refuses $url ($code) outside the local stage',
    async ({ url, code, hosts = partnerHosts }) => {
      // Act
      const verdict = await guardCallbackUrl(url, hosts, { stage: 'prod', resolve });

      // Assess
      expect(verdict.ok).toBe(false);
      if (!verdict.ok) {
        expect(verdict.error.code).toBe(code);
        expect(verdict.error.permanent).toBe(true);
      }
    },
  );

  it('treats a name that does not resolve as worth retrying, not as a permanent refusal', async () => {
    const verdict = await guardCallbackUrl('https://nxdomain.partner.example/cb', partnerHosts, {
      stage: 'prod',
      resolve,
    });
    expect(verdict).toMatchObject({
      ok: false,
      error: { code: 'DNS_LOOKUP_FAILED', permanent: false },
    });
  });

  it.each([
    { url: 'https://hooks.acme-bank.example/creditline?x=1', pinned: ['93.184.216.34'] },
    {
      url: 'https://api.partner.example:8443/cb',
      pinned: ['104.16.133.229', '2606:4700::6810:85e5'],
    },
    { url: 'https://HOOKS.ACME-BANK.EXAMPLE./cb', pinned: ['93.184.216.34'] },
    { url: 'https://deep.api.partner.example/cb', pinned: ['104.16.133.230'] },
    { url: 'https://nat64public.partner.example/cb', pinned: ['64:ff9b::5db8:d822'] },
  ])('lets $url through, pinned to the addresses it checked', async ({ url, pinned }) => {
    // Act
    const verdict = await guardCallbackUrl(url, partnerHosts, { stage: 'prod', resolve });

    // Assess
    expect(verdict.ok).toBe(true);
    if (verdict.ok)
      expect(verdict.value.addresses.map((address) => address.address)).toEqual(pinned);
  });

  describe('in the local stage (loopback relaxed for allow-listed hosts only, http only to loopback)', () => {
    it.each([
      { url: 'http://127.0.0.1:4500/hook', stage: 'local' as const },
      { url: 'https://127.0.0.1:4500/hook', stage: 'local' as const },
      { url: 'http://localhost:4500/hook', stage: 'local' as const },
    ])('accepts $url', async ({ url, stage }) => {
      const verdict = await guardCallbackUrl(url, localHosts, { stage, resolve });
      expect(verdict.ok).toBe(true);
    });

    it.each<{ url: string; hosts: readonly string[]; code: RefusalCode; stage: 'local' | 'dev' }>([
      {
        url: 'http://127.0.0.1:4500/hook',
        hosts: localHosts,
        code: 'SCHEME_NOT_ALLOWED',
        stage: 'dev',
      },
      {
        url: 'https://127.0.0.1:4500/hook',
        hosts: localHosts,
        code: 'ADDRESS_NOT_PUBLIC',
        stage: 'dev',
      },
      {
        url: 'http://127.0.0.1:4500/hook',
        hosts: partnerHosts,
        code: 'HOST_NOT_ALLOWED',
        stage: 'local',
      },
      {
        url: 'http://10.0.0.5/hook',
        hosts: localHosts,
        code: 'ADDRESS_NOT_PUBLIC',
        stage: 'local',
      },
      {
        url: 'http://169.254.169.254/latest/meta-data/',
        hosts: localHosts,
        code: 'ADDRESS_NOT_PUBLIC',
        stage: 'local',
      },
      {
        url: 'http://internal.partner.example/hook',
        hosts: partnerHosts,
        code: 'ADDRESS_NOT_PUBLIC',
        stage: 'local',
      },
      {
        url: 'http://hooks.acme-bank.example/hook',
        hosts: partnerHosts,
        code: 'SCHEME_NOT_ALLOWED',
        stage: 'local',
      },
    ])('refuses $url in $stage ($code)', async ({ url, hosts, code, stage }) => {
      const verdict = await guardCallbackUrl(url, hosts, { stage, resolve });
      expect(verdict).toMatchObject({ ok: false, error: { code } });
    });
  });

  it.each([
    { host: 'a.partner.example', list: ['*.partner.example'], allowed: true },
    { host: 'a.b.partner.example', list: ['*.partner.example'], allowed: true },
    { host: 'partner.example', list: ['*.partner.example'], allowed: false },
    { host: 'xpartner.example', list: ['*.partner.example'], allowed: false },
    { host: 'Hooks.Example.', list: ['hooks.example'], allowed: true },
    { host: 'hooks.example', list: ['*.'], allowed: false },
  ])('allow-list: $host against $list → $allowed', ({ host, list, allowed }) => {
    expect(isHostAllowed(host, list)).toBe(allowed);
  });

  it.each([
    { address: '8.8.8.8', category: 'public' },
    { address: '100.63.255.255', category: 'public' },
    { address: '100.128.0.0', category: 'public' },
    { address: '172.32.0.1', category: 'public' },
    { address: '172.31.255.255', category: 'private' },
    { address: '2606:4700::1', category: 'public' },
    { address: '::ffff:8.8.8.8', category: 'ipv4-mapped' },
    { address: '::', category: 'unspecified' },
    { address: '::8.8.8.8', category: 'reserved' },
    { address: 'fe80::1%eth0', category: 'link-local' },
    { address: 'ff02::1', category: 'multicast' },
    { address: '64:ff9b::7f00:1', category: 'loopback' },
  ])('classifies $address as $category', ({ address, category }) => {
    expect(classifyAddress(address)?.category).toBe(category);
  });
});
