import { eventSources } from '@creditline/adapters/definitions';
import type { Partner } from '@creditline/adapters/config/env';
import { isIdentifier } from '@creditline/domain';

/** Who is asking, as each channel authenticates it. */
export interface PartnerDirectory {
  /** HTTP: the AWS account the API Gateway IAM authorizer verified. */
  byAccountId(accountId: string | undefined): string | undefined;
  /** EventBridge: the source a partner publishes under (`partner.<id>`). */
  bySource(source: string): string | undefined;
}

/**
 * An event source not in the configuration still names its partner (`partner.<id>`), so a
 * decision always says whom to call back; an HTTP caller from an account no partner lists is
 * nobody's partner (an operator's or an internal caller's request).
 */
export const createPartnerDirectory = (partners: readonly Partner[]): PartnerDirectory => {
  const byAccount = new Map(
    partners.flatMap((partner) =>
      (partner.accountIds ?? []).map((account) => [account, partner.id] as const),
    ),
  );
  const bySource = new Map(partners.map((partner) => [partner.eventSource, partner.id] as const));
  return {
    byAccountId: (accountId) => (accountId === undefined ? undefined : byAccount.get(accountId)),
    bySource: (source) => {
      const configured = bySource.get(source);
      if (configured !== undefined) return configured;
      if (!source.startsWith(eventSources.partnerPrefix)) return undefined;
      const named = source.slice(eventSources.partnerPrefix.length);
      return isIdentifier(named) ? named : undefined;
    },
  };
};
