import type { Partner } from '@creditline/adapters/config/env';

/**
 * The local stage's partners, `demo` and `acme`, each with its own local credentials. These
 * stand in for what AWS gives a partner: an access key that may assume the partner's role in
 * creditline's account, and its own AWS account for the events it puts on the bus. They are
 * fixed and published (local only, nothing they open exists in AWS), so the README's demo and
 * the e2e suite can name them.
 */
export interface LocalPartner {
  readonly id: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The partner's own account: the `account` of the events it puts. */
  readonly accountId: string;
  readonly callbackHosts: readonly string[];
  /** Standard Webhooks secret its callbacks are signed with. */
  readonly webhookSecret: string;
  /** Where its BalanceLow / BalanceRestored callbacks go: `creditline webhook listen`'s default. */
  readonly monitorCallbackUrl?: string;
}

/** creditline's account in the local stage: the partners' API roles live in it. */
export const LOCAL_CREDITLINE_ACCOUNT = '000000000000';
export const LOCAL_REGION = 'us-east-1';
/** The session name the local API reports, as STS would for the partner's AssumeRole. */
export const LOCAL_SESSION_NAME = 'creditline-cli';

export const localPartners: readonly LocalPartner[] = [
  {
    id: 'demo',
    accessKeyId: 'AKIALOCALDEMO0000001',
    secretAccessKey: 'local-demo-secret-key-0000000000000000001',
    accountId: '111111111111',
    callbackHosts: ['127.0.0.1', 'localhost'],
    webhookSecret: 'whsec_Y3JlZGl0bGluZS1sb2NhbC1kZW1vLXNlY3JldA==',
    monitorCallbackUrl: 'http://127.0.0.1:4100/hook',
  },
  {
    id: 'acme',
    accessKeyId: 'AKIALOCALACME0000002',
    secretAccessKey: 'local-acme-secret-key-0000000000000000002',
    accountId: '222222222222',
    callbackHosts: ['127.0.0.1', 'localhost'],
    webhookSecret: 'whsec_Y3JlZGl0bGluZS1sb2NhbC1hY21lLXNlY3JldA==',
  },
];

/** The partner the CLI acts as without `--partner`, and the owner of rows from before tenancy. */
export const DEFAULT_LOCAL_PARTNER = 'demo';

export const localPartner = (id: string): LocalPartner => {
  const partner = localPartners.find((candidate) => candidate.id === id);
  if (!partner)
    throw new Error(
      `no local partner "${id}" (there are ${localPartners.map((p) => p.id).join(', ')})`,
    );
  return partner;
};

export const localPartnerByAccessKey = (accessKeyId: string): LocalPartner | undefined =>
  localPartners.find((partner) => partner.accessKeyId === accessKeyId);

/** The role the partner "assumes" locally, named as infra names it per stage. */
export const localRoleName = (partnerId: string): string => `creditline-local-partner-${partnerId}`;

/** What the functions are configured with for a local partner: the same schema as in AWS. */
export const toPartnerConfig = (partner: LocalPartner): Partner => ({
  id: partner.id,
  roleArn: `arn:aws:iam::${LOCAL_CREDITLINE_ACCOUNT}:role/${localRoleName(partner.id)}`,
  eventSource: `partner.${partner.id}`,
  eventAccountId: partner.accountId,
  callbackHosts: [...partner.callbackHosts],
  webhookSecretArn: `local:${partner.id}`,
  ...(partner.monitorCallbackUrl !== undefined ? { monitorCallbackUrl: partner.monitorCallbackUrl } : {}),
  rateLimit: { perSecond: 200, burst: 400 },
});
