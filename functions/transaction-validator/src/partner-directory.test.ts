import type { Partner } from '@creditline/adapters/config/env';
import { describe, expect, it } from 'vitest';
import { createPartnerDirectory } from './partner-directory.js';

const partners: Partner[] = [
  {
    id: 'acme',
    eventSource: 'partner.acme-bank',
    callbackHosts: ['hooks.acme.example'],
    webhookSecretArn: 'local:a',
    accountIds: ['111122223333', '222233334444'],
  },
  {
    id: 'globex',
    eventSource: 'partner.globex',
    callbackHosts: ['globex.example'],
    webhookSecretArn: 'local:g',
  },
];

describe('partner directory', () => {
  it.each([
    ['111122223333', 'acme'],
    ['222233334444', 'acme'],
    ['999999999999', undefined],
    [undefined, undefined],
  ])('maps the IAM caller account %s to %s', (account, partner) => {
    expect(createPartnerDirectory(partners).byAccountId(account)).toBe(partner);
  });

  it.each([
    ['partner.acme-bank', 'acme'],
    ['partner.globex', 'globex'],
    ['partner.initech', 'initech'],
    ['partner.', undefined],
    ['partner.bad id', undefined],
    ['creditline.authorization', undefined],
  ])('maps the event source %s to %s', (source, partner) => {
    expect(createPartnerDirectory(partners).bySource(source)).toBe(partner);
  });
});
