import type { Stage } from '../config/env.js';
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
): string | null => {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return 'callback_url is not a URL';
  }
  const local = stage === 'local';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:'))
    return `callback_url must use https (not ${url.protocol.slice(0, -1)})`;
  // URL drops the scheme's default port: '' is 443 for https.
  if (!local && url.port !== '') return `callback_url must use port 443 (not ${url.port})`;
  if (url.username !== '' || url.password !== '') return 'callback_url must not carry credentials';
  if (!isHostAllowed(url.hostname, allowedHosts))
    return `callback_url host ${url.hostname} is not on the partner's allow-list`;
  return null;
};
