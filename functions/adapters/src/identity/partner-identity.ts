/**
 * Who a verified caller is, as a partner id, or nobody. The one mapping from AWS principals to
 * partners, used by the TransactionValidator on AWS and by the local runtime's HTTP API (which
 * verifies SigV4 itself and fills in the same authorizer context): fail closed everywhere.
 *
 * - HTTP: the API's IAM authorizer verified the SigV4 signature and reports the principal in
 *   `requestContext.authorizer.iam`. A partner calls through the role creditline created for it,
 *   so the principal is an assumed-role session `arn:aws:sts::<acct>:assumed-role/<role>/<session>`;
 *   it is a partner's exactly when `<acct>` and `<role>` are that partner's configured role.
 *   Anything else (a user, creditline's own function roles, another role, a malformed ARN, an
 *   ARN that disagrees with the caller id or account) is nobody's.
 * - Events: EventBridge stamps `account` with the account that put the event, and a bus policy
 *   lets each partner account put only under its own source; an event is a partner's exactly
 *   when both its source and its account are that partner's.
 */

/** What a partner is known by, per channel. */
export interface PartnerPrincipals {
  readonly id: string;
  /** The IAM role the partner assumes to call the HTTP API (`arn:aws:iam::<acct>:role/[path/]<name>`). */
  readonly roleArn: string;
  /** The EventBridge source the partner publishes TransactionRequested under. */
  readonly eventSource: string;
  /** The AWS account the partner's events come from. */
  readonly eventAccountId: string;
}

/** `requestContext.authorizer.iam` of an HTTP API payload v2 event, as AWS fills it in. */
export interface VerifiedIamCaller {
  readonly userArn?: string | null | undefined;
  readonly callerId?: string | null | undefined;
  readonly accountId?: string | null | undefined;
}

export type Attribution =
  | { readonly ok: true; readonly partnerId: string }
  | {
      readonly ok: false;
      readonly reason:
        | 'NO_PRINCIPAL'
        | 'MALFORMED_PRINCIPAL'
        | 'NOT_A_ROLE_SESSION'
        | 'INCONSISTENT_PRINCIPAL'
        | 'UNKNOWN_ROLE';
    };

export interface PartnerIdentity {
  /** The partner whose role this verified HTTP caller assumed. */
  ofHttpCaller(iam: VerifiedIamCaller | null | undefined): Attribution;
  /** The partner whose source and account this event carries, both. */
  ofEvent(source: string, account: string): string | undefined;
}

// IAM names: role names are [\w+=,.@-]{1,64}; session names [\w+=,.@-]{2,64}.
const NAME = '[\\w+=,.@-]{1,64}';
const ASSUMED_ROLE = new RegExp(
  `^arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/(${NAME})/([\\w+=,.@-]{2,64})$`,
);
const ROLE = new RegExp(`^arn:(aws[a-z-]*):iam::(\\d{12}):role/(?:[\\x21-\\x7e]*/)?(${NAME})$`);

/** The role a session ARN was assumed from, as `partition:account:name` (the role path is not in a session ARN). */
const roleOfSession = (
  userArn: string,
): { role: string; account: string; session: string } | undefined => {
  const match = ASSUMED_ROLE.exec(userArn);
  if (!match) return undefined;
  const [, partition, account, name, session] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  return { role: `${partition}:${account}:${name}`, account, session };
};

/** The same `partition:account:name` for a configured role ARN; throws on one that is not a role. */
export const roleIdentity = (roleArn: string): string => {
  const match = ROLE.exec(roleArn);
  if (!match) throw new Error(`"${roleArn}" is not an IAM role ARN`);
  const [, partition, account, name] = match as unknown as [string, string, string, string];
  return `${partition}:${account}:${name}`;
};

/** Builds the mapping; a role or an event origin claimed by two partners is a configuration error. */
export const createPartnerIdentity = (partners: readonly PartnerPrincipals[]): PartnerIdentity => {
  const byRole = new Map<string, string>();
  const byOrigin = new Map<string, string>();
  for (const partner of partners) {
    const role = roleIdentity(partner.roleArn);
    const origin = `${partner.eventSource}\n${partner.eventAccountId}`;
    if (byRole.has(role))
      throw new Error(
        `partners ${byRole.get(role) ?? ''} and ${partner.id} share the role ${partner.roleArn}`,
      );
    if (byOrigin.has(origin))
      throw new Error(
        `partners ${byOrigin.get(origin) ?? ''} and ${partner.id} share the event source ${partner.eventSource}`,
      );
    byRole.set(role, partner.id);
    byOrigin.set(origin, partner.id);
  }
  return {
    ofHttpCaller(iam) {
      const userArn = iam?.userArn;
      if (typeof userArn !== 'string' || userArn === '')
        return { ok: false, reason: 'NO_PRINCIPAL' };
      if (!userArn.startsWith('arn:')) return { ok: false, reason: 'MALFORMED_PRINCIPAL' };
      const session = roleOfSession(userArn);
      if (!session) return { ok: false, reason: 'NOT_A_ROLE_SESSION' };
      // For a role session AWS reports callerId `<role unique id>:<session>` and the role's account.
      const callerId = iam?.callerId;
      if (
        typeof callerId === 'string' &&
        callerId !== '' &&
        !callerId.endsWith(`:${session.session}`)
      ) {
        return { ok: false, reason: 'INCONSISTENT_PRINCIPAL' };
      }
      const accountId = iam?.accountId;
      if (typeof accountId === 'string' && accountId !== '' && accountId !== session.account) {
        return { ok: false, reason: 'INCONSISTENT_PRINCIPAL' };
      }
      const partnerId = byRole.get(session.role);
      return partnerId === undefined
        ? { ok: false, reason: 'UNKNOWN_ROLE' }
        : { ok: true, partnerId };
    },
    ofEvent: (source, account) => byOrigin.get(`${source}\n${account}`),
  };
};
