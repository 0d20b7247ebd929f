import { ConfigError, readConfig } from '@creditline/adapters/config/env';
import { describe, expect, it } from 'vitest';
import { dispatcherConfigSchema } from './config.js';

const partner = (extra: Record<string, unknown> = {}) => ({
  id: 'acme',
  roleArn: 'arn:aws:iam::403958721046:role/creditline-prod-partner-acme',
  eventSource: 'partner.acme',
  eventAccountId: '730512948316',
  rateLimit: { perSecond: 10, burst: 20 },
  callbackHosts: ['hooks.acme-bank.co.uk'],
  webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:403958721046:secret:acme-AbCdEf',
  ...extra,
});
const environment = (stage: string, partners: readonly unknown[]) => ({
  CREDITLINE_STAGE: stage,
  TABLE_CREDIT_CACHE: 'a',
  TABLE_DEPOSIT_EVENTS: 'b',
  TABLE_TRANSACTION_LOG: 'c',
  TABLE_WEBHOOKS: 'd',
  CALLBACKS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/403958721046/creditline-prod-callbacks',
  PARTNERS: JSON.stringify(partners),
});
const problemOf = (stage: string, partners: readonly unknown[]): string => {
  try {
    readConfig(dispatcherConfigSchema, environment(stage, partners));
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be refused');
};

describe('CallbackDispatcher configuration', () => {
  it('reads a partner with or without monitorCallbackUrl', () => {
    const config = readConfig(
      dispatcherConfigSchema,
      environment('prod', [
        partner({ monitorCallbackUrl: 'https://hooks.acme-bank.co.uk/monitors' }),
        partner({ id: 'quiet', eventSource: 'partner.quiet' }),
      ]),
    );
    expect(config.PARTNERS.map((p) => p.monitorCallbackUrl)).toEqual([
      'https://hooks.acme-bank.co.uk/monitors',
      undefined,
    ]);
  });

  it.each([
    {
      url: 'https://metadata.internal/monitors',
      problem: "monitorCallbackUrl host metadata.internal is not on the partner's allow-list",
    },
    {
      url: 'http://hooks.acme-bank.co.uk/monitors',
      problem: 'monitorCallbackUrl must use https (not http)',
    },
    {
      url: 'https://hooks.acme-bank.co.uk:8443/monitors',
      problem: 'monitorCallbackUrl must use port 443 (not 8443)',
    },
    { url: 'ftp://hooks.acme-bank.co.uk/monitors', problem: 'PARTNERS.0.monitorCallbackUrl' },
  ])('refuses to start with monitorCallbackUrl $url in prod', ({ url, problem }) => {
    const message = problemOf('prod', [partner({ monitorCallbackUrl: url })]);
    expect(message).toContain('PARTNERS.0.monitorCallbackUrl');
    expect(message).toContain(problem);
  });

  it('accepts http to an allowed loopback host in the local stage only', () => {
    const local = partner({
      callbackHosts: ['127.0.0.1'],
      monitorCallbackUrl: 'http://127.0.0.1:4100/hook',
    });
    expect(
      readConfig(dispatcherConfigSchema, environment('local', [local])).PARTNERS[0]
        ?.monitorCallbackUrl,
    ).toBe('http://127.0.0.1:4100/hook');
    expect(problemOf('dev', [local])).toContain('monitorCallbackUrl must use https');
  });
});
