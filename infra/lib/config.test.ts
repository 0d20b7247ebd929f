import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  parseStackConfig,
  pulumiConfigFromRaw,
  rawConfigFromPulumi,
  rawConfigFromStackFile,
  StackConfigError,
} from './config.js';
import { repoRoot } from './paths.js';

const raw = (stack: string): Record<string, unknown> =>
  rawConfigFromStackFile(parse(readFileSync(join(repoRoot, `Pulumi.${stack}.yaml`), 'utf8')));

const offline = { placeholders: 'allow offline' } as const;

const problemsOf = (
  stack: string,
  config: Record<string, unknown>,
  options: Parameters<typeof parseStackConfig>[2] = offline,
): string => {
  try {
    parseStackConfig(stack, config, options);
  } catch (error) {
    expect(error).toBeInstanceOf(StackConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be rejected');
};

describe('stack config', () => {
  it('accepts the dev and prod stack files', () => {
    const dev = parseStackConfig('dev', raw('dev'), offline);
    const prod = parseStackConfig('prod', raw('prod'), offline);
    expect(dev).toMatchObject({ stage: 'dev', deletionProtection: false, region: 'eu-west-1' });
    expect(prod).toMatchObject({ stage: 'prod', deletionProtection: true });
    expect(prod.auroraMaxAcu).toBeGreaterThan(dev.auroraMaxAcu);
    expect(prod.logRetentionDays).toBeGreaterThan(dev.logRetentionDays);
    expect(prod.auditRetentionDays).toBeGreaterThan(dev.auditRetentionDays);
  });

  it('reads what Pulumi hands the program (text values, structured ones as JSON)', () => {
    const config = raw('prod');
    expect(rawConfigFromPulumi(pulumiConfigFromRaw(config))).toEqual(config);
    expect(
      rawConfigFromPulumi({
        'aws:region': 'eu-west-1',
        'creditline:auroraMinAcu': '0.5',
        'other:key': 'x',
      }),
    ).toEqual({
      region: 'eu-west-1',
      auroraMinAcu: 0.5,
    });
  });

  it('stops on an unknown key, naming it', () => {
    expect(problemsOf('dev', { ...raw('dev'), auroraMaxACU: 8 })).toMatch(/auroraMaxACU/);
  });

  it('lists every problem at once', () => {
    const message = problemsOf('staging', {
      ...raw('dev'),
      auroraMinAcu: 8,
      auroraMaxAcu: 4,
      logRetentionDays: 10,
      alarmEmail: 'not-an-email',
      reconciliationSchedule: 'every night',
    });
    for (const expected of [
      'stack name "staging"',
      'auroraMinAcu',
      'logRetentionDays',
      'alarmEmail',
      'reconciliationSchedule',
    ]) {
      expect(message).toContain(expected);
    }
  });

  it('checks partners with the shared partner schema, plus the account id and a full secret ARN', () => {
    const partner = {
      id: 'Bad Id',
      accountId: '42',
      eventSource: 'acme',
      callbackHosts: [],
      webhookSecretArn: 'arn:aws:secretsmanager:eu-west-1:210987654321:secret:webhook',
    };
    const message = problemsOf('dev', { ...raw('dev'), partners: [partner] });
    for (const field of [
      'partners.0.id',
      'partners.0.accountId',
      'partners.0.eventSource',
      'partners.0.callbackHosts',
      'partners.0.webhookSecretArn',
    ]) {
      expect(message).toContain(field);
    }
  });

  it("checks a partner's monitorCallbackUrl by the callback_url rules of the stage, against its own callbackHosts", () => {
    const [first] = raw('prod')['partners'] as [Record<string, unknown>];
    const withUrl = (monitorCallbackUrl: string) =>
      problemsOf('prod', { ...raw('prod'), partners: [{ ...first, monitorCallbackUrl }] });
    expect(withUrl('https://evil.example.net/hook')).toContain(
      "partners.0.monitorCallbackUrl: monitorCallbackUrl host evil.example.net is not on the partner's allow-list",
    );
    expect(withUrl('http://callbacks.acme-bank.example/hook')).toContain(
      'partners.0.monitorCallbackUrl: monitorCallbackUrl must use https (not http)',
    );
    expect(withUrl('https://callbacks.acme-bank.example:8443/hook')).toContain(
      'monitorCallbackUrl must use port 443 (not 8443)',
    );
    expect(withUrl('https://user:pw@callbacks.acme-bank.example/hook')).toContain(
      'monitorCallbackUrl must not carry credentials',
    );
    expect(withUrl('not a url')).toContain('partners.0.monitorCallbackUrl');
    const ok = parseStackConfig(
      'prod',
      { ...raw('prod'), partners: [{ ...first, monitorCallbackUrl: 'https://callbacks.acme-bank.example/monitors' }] },
      offline,
    );
    expect(ok.partners[0]?.monitorCallbackUrl).toBe('https://callbacks.acme-bank.example/monitors');
    // Optional: a partner without one is valid (its crossings are not called back).
    expect(parseStackConfig('prod', raw('prod'), offline).partners[0]?.monitorCallbackUrl).toBeUndefined();
  });

  it('refuses the example accounts and hosts of the stack files for a deploy, one line naming each', () => {
    const message = problemsOf('prod', raw('prod'), {});
    const lines = message
      .split('\n')
      .slice(1)
      .map((line) => line.trim());
    expect(lines).toEqual(
      expect.arrayContaining([
        'alarmEmail: creditline-oncall@example.com is at the example domain example.com: set the real value',
        'partners.0.accountId: 123456789012 is an example AWS account id: set the real value',
        'partners.1.accountId: 234567890123 is an example AWS account id: set the real value',
        'partners.0.callbackHosts.0: callbacks.acme-bank.example is a host reserved for examples: set the real value',
        'partners.1.callbackHosts.1: *.callbacks.northwind-pay.example is a host reserved for examples: set the real value',
      ]),
    );
    expect(lines.find((line) => line.startsWith('partners.0.webhookSecretArn'))).toContain(
      'example AWS account 210987654322',
    );
    // Every problem is a line of its own, and real values pass.
    const real = {
      ...raw('dev'),
      alarmEmail: 'oncall@creditline.io',
      partners: [
        {
          id: 'acme-bank',
          accountId: '403958721046',
          principalArns: ['arn:aws:iam::403958721046:role/creditline-client'],
          externalId: 'q8Zr2mVw7KcT4pLx9NbF3sHd6JyA1uGe',
          rateLimit: { perSecond: 20, burst: 40 },
          eventSource: 'partner.acme-bank',
          callbackHosts: ['callbacks.acme-bank.co.uk'],
          webhookSecretArn:
            'arn:aws:secretsmanager:eu-west-1:730512948316:secret:creditline/dev/partners/acme-bank/webhook-Ab12Cd',
        },
      ],
    };
    expect(parseStackConfig('dev', real).partners).toHaveLength(1);
  });

  it('rejects a required key that is missing', () => {
    const rest = raw('dev');
    delete rest['alarmEmail'];
    expect(problemsOf('dev', rest)).toContain('alarmEmail');
  });
});
