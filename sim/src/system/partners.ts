import type { Partner } from '@creditline/adapters/config/env';

/** creditline's own account in the simulation: the partners' API roles live in it, as on AWS. */
export const SIM_CREDITLINE_ACCOUNT = '999999999999';

/**
 * The simulation's partners. Each has an API role in creditline's account (the principal its
 * signed HTTP requests carry is a session of it), its own AWS account (where its events come
 * from), an event source and a webhook secret. How many take part depends on what main
 * supports (see capabilities.ts): ids are shared between partners on purpose, so that any
 * scoping mistake shows as a cross-tenant leak.
 */
export interface SimPartner {
  readonly id: string;
  /** The partner's own account: the `account` EventBridge stamps on its events. */
  readonly accountId: string;
  /** The session ARN API Gateway's IAM authorizer reports for its requests. */
  readonly sessionArn: string;
  readonly webhookSecret: string;
  readonly config: Partner;
}

const make = (id: string, account: string, secret: string): SimPartner => ({
  id,
  accountId: account,
  sessionArn: `arn:aws:sts::${SIM_CREDITLINE_ACCOUNT}:assumed-role/creditline-sim-partner-${id}/sim`,
  webhookSecret: secret,
  config: {
    id,
    roleArn: `arn:aws:iam::${SIM_CREDITLINE_ACCOUNT}:role/creditline-sim-partner-${id}`,
    eventSource: `partner.${id}`,
    eventAccountId: account,
    callbackHosts: ['127.0.0.1'],
    webhookSecretArn: `local:${id}`,
    // Far above what the workload sends: the simulation checks the books, not the limiter.
    rateLimit: { perSecond: 10_000, burst: 20_000 },
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
    accountId: SIM_CREDITLINE_ACCOUNT,
    callerId: `AROASIM${partner.id.toUpperCase()}:sim`,
    principalOrgId: null,
    userArn: partner.sessionArn,
    userId: `AROASIM${partner.id.toUpperCase()}:sim`,
    cognitoIdentity: null,
  },
});
