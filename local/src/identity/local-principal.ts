import {
  LOCAL_CREDITLINE_ACCOUNT,
  LOCAL_REGION,
  LOCAL_SESSION_NAME,
  localPartnerByAccessKey,
  localRoleName,
} from './local-partners.js';
import { verifyRequest, type SignableRequest } from './sigv4.js';

/** `requestContext.authorizer.iam` as API Gateway's IAM authorizer fills it in for a role session. */
export interface IamAuthorizerContext {
  readonly accessKey: string;
  readonly accountId: string;
  readonly callerId: string;
  readonly cognitoIdentity: null;
  readonly principalOrgId: null;
  readonly userArn: string;
  readonly userId: string;
}

export type LocalAuthentication =
  | { readonly ok: true; readonly iam: IamAuthorizerContext }
  | { readonly ok: false; readonly reason: string };

/**
 * What API Gateway's IAM authorizer does, locally: verify the SigV4 signature, then report the
 * principal the access key stands for (the partner's role session, as STS names it). Which
 * partner that principal is remains the handler's call, by the same mapping as in AWS.
 */
export const authenticateLocalRequest = async (
  request: SignableRequest,
  now: Date = new Date(),
): Promise<LocalAuthentication> => {
  const verdict = await verifyRequest(
    request,
    (key) => localPartnerByAccessKey(key)?.secretAccessKey,
    { region: LOCAL_REGION, service: 'execute-api' },
    now,
  );
  if (!verdict.ok) return verdict;
  const partner = localPartnerByAccessKey(verdict.accessKeyId);
  if (!partner) return { ok: false, reason: 'the access key is not known' };
  const roleId = `AROALOCAL${partner.id.toUpperCase().replace(/[^A-Z0-9]/g, '')}`;
  return {
    ok: true,
    iam: {
      accessKey: partner.accessKeyId,
      accountId: LOCAL_CREDITLINE_ACCOUNT,
      callerId: `${roleId}:${LOCAL_SESSION_NAME}`,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:sts::${LOCAL_CREDITLINE_ACCOUNT}:assumed-role/${localRoleName(partner.id)}/${LOCAL_SESSION_NAME}`,
      userId: `${roleId}:${LOCAL_SESSION_NAME}`,
    },
  };
};
