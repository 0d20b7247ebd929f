import { describe, expect, it } from 'vitest';
import { isPlaceholderAccountId, isPlaceholderHost, placeholderProblems } from './placeholders.js';

describe('placeholder values', () => {
  it('knows the example account ids of the AWS documentation and their look-alikes', () => {
    for (const id of [
      '123456789012',
      '111111111111',
      '111122223333',
      '210987654321',
      '234567890123',
      '210987654322',
      '000000000000',
    ])
      expect(isPlaceholderAccountId(id), id).toBe(true);
    for (const id of ['403958721046', '730512948316', '12345678901'])
      expect(isPlaceholderAccountId(id), id).toBe(false);
  });

  it('knows the host names reserved for examples', () => {
    for (const host of [
      'example.com',
      'hooks.example.org',
      'callbacks.acme-bank.example',
      '*.callbacks.northwind-pay.example',
      'api.test',
      'localhost',
    ])
      expect(isPlaceholderHost(host), host).toBe(true);
    for (const host of ['callbacks.acme-bank.co.uk', 'examples.com', 'example.company.io'])
      expect(isPlaceholderHost(host), host).toBe(false);
  });

  it('names each placeholder with its path: accounts, ARNs, e-mail domains, hosts and URLs', () => {
    expect(
      placeholderProblems({
        alarmEmail: 'ops@example.com',
        partners: [
          {
            accountId: '123456789012',
            callbackHosts: ['ok.acme.io', 'x.example'],
            secret: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:s-AbCdEf',
          },
        ],
        redshift: { jdbcUrl: 'jdbc:redshift://cluster.example.net:5439/audit' },
        region: 'eu-west-1',
      }),
    ).toEqual([
      'alarmEmail: ops@example.com is at the example domain example.com',
      'partners.0.accountId: 123456789012 is an example AWS account id',
      'partners.0.callbackHosts.1: x.example is a host reserved for examples',
      'partners.0.secret: arn:aws:secretsmanager:eu-west-1:111122223333:secret:s-AbCdEf is in the example AWS account 111122223333',
      'redshift.jdbcUrl: jdbc:redshift://cluster.example.net:5439/audit is a host reserved for examples',
    ]);
  });
});
