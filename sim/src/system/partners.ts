import type { Partner } from '@creditline/adapters/config/env';

/**
 * The simulation's partners. Each has an AWS account (the principal its signed HTTP requests
 * carry), an event source and a webhook secret. How many take part depends on what main
 * supports (see capabilities.ts): ids are shared between partners on purpose, so that any
 * scoping mistake shows as a cross-tenant leak.
 */
export interface SimPartner {
  readonly id: string;
  readonly accountId: string;
  readonly roleArn: string;
  readonly webhookSecret: string;
  readonly config: Partner;
}

const make = (id: string, account: string, secret: string): SimPartner => ({
  id,
  accountId: account,
  roleArn: `arn:aws:sts::${account}:assumed-role/creditline-${id}-partner/sim`,
  webhookSecret: secret,
  config: {
    id,
    eventSource: `partner.${id}`,
    callbackHosts: ['127.0.0.1'],
    webhookSecretArn: `local:${id}`,
    accountIds: [account],
  },
});

export const simPartners: readonly SimPartner[] = [
  make('north', '222222222222', 'whsec_c2ltLW5vcnRoLXdlYmhvb2stc2VjcmV0LTAx'),
  make('south', '333333333333', 'whsec_c2ltLXNvdXRoLXdlYmhvb2stc2VjcmV0LTAy'),
  make('east', '444444444444', 'whsec_c2ltLWVhc3Qtd2ViaG9vay1zZWNyZXQtMDMw'),
];

/** The IAM authorizer context API Gateway puts on a verified request from a partner's role. */
export const authorizerFor = (partner: SimPartner) => ({
  iam: {
    accessKey: 'ASIASIMULATION',
    accountId: partner.accountId,
    callerId: `AROASIM${partner.id.toUpperCase()}:sim`,
    principalOrgId: null,
    userArn: partner.roleArn,
    userId: `AROASIM${partner.id.toUpperCase()}:sim`,
    cognitoIdentity: null,
  },
});
