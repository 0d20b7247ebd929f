import type { Partner } from '@creditline/adapters/config/env';
import type { StackPartner } from './config.js';
import type { Naming } from './naming.js';

/** The API role a partner assumes, in creditline's account, named per stack. */
export const partnerRoleName = (naming: Naming, partnerId: string): string =>
  naming.name(`partner-${partnerId}`);

/**
 * What the functions are told about the partners (`PARTNERS`): the principal each is known by on
 * each channel. HTTP: a session of the role the Api component creates for it (so the validator's
 * mapping and the roles cannot disagree: both come from `partnerRoleName`). Events: its source
 * and its own account. The functions never see the trust policy's external id.
 */
/** `Partner` as rendered: the program defaults as written in the stack file (the functions parse them). */
export type RenderedPartner = Omit<Partner, 'controls'> & {
  readonly controls?: Readonly<Record<string, unknown>>;
};

export const partnersEnvironment = (
  partners: readonly StackPartner[],
  naming: Naming,
  creditlineAccountId: string,
): RenderedPartner[] =>
  partners.map((partner) => ({
    id: partner.id,
    roleArn: `arn:aws:iam::${creditlineAccountId}:role/${partnerRoleName(naming, partner.id)}`,
    eventSource: partner.eventSource,
    eventAccountId: partner.accountId,
    callbackHosts: partner.callbackHosts,
    webhookSecretArn: partner.webhookSecretArn,
    ...(partner.monitorCallbackUrl !== undefined
      ? { monitorCallbackUrl: partner.monitorCallbackUrl }
      : {}),
    rateLimit: partner.rateLimit,
    ...(partner.controls !== undefined ? { controls: partner.controls } : {}),
  }));
