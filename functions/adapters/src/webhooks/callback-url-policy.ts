import type { Partner, Stage } from '../config/env.js';
import { isHostAllowed } from './ssrf-guard.js';

/**
 * The callback_url rules checked when a request arrives, so a partner hears at once (400, or a
 * REJECTED decision for an event) instead of finding a dead letter later: https on port 443
 * (any scheme port pair is refused outside the local stage, where a developer's receiver listens
 * on http and a port of its own), no credentials, and a host on the partner's allow-list. The
 * dispatcher's SSRF guard checks again before every send, addresses included (DNS can change).
 */
export const checkCallbackUrl = (
  rawUrl: string,
  allowedHosts: readonly string[],
  stage: Stage,
  field = 'callback_url',
): string | null => {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return `${field} is not a URL`;
  }
  const local = stage === 'local';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    return `${field} must use https (not ${url.protocol.slice(0, -1)})`;
  // URL drops the scheme's default port: '' is 443 for https.
  if (!local && url.port !== '') return `${field} must use port 443 (not ${url.port})`;
  if (url.username !== '' || url.password !== '') return `${field} must not carry credentials`;
  if (!isHostAllowed(url.hostname, allowedHosts))
    return `${field} host ${url.hostname} is not on the partner's allow-list`;
  return null;
};

/**
 * A partner's `monitorCallbackUrl` is configuration, not a request: it is checked by the same
 * rules when the configuration is read (the stack file before a deploy, the dispatcher's cold
 * start), so a URL off the partner's allow-list never deploys. The SSRF guard still checks it,
 * addresses included, before every send. One problem per partner at fault, with its index.
 */
export const monitorCallbackUrlProblems = (
  partners: readonly Pick<Partner, 'callbackHosts' | 'monitorCallbackUrl'>[],
  stage: Stage,
): { readonly index: number; readonly message: string }[] =>
  partners.flatMap((partner, index) => {
    if (partner.monitorCallbackUrl === undefined) return [];
    const message = checkCallbackUrl(partner.monitorCallbackUrl, partner.callbackHosts, stage, 'monitorCallbackUrl');
    return message === null ? [] : [{ index, message }];
  });
