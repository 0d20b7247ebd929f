import { canonicalRequest, type CanonicalRequestFields } from '@creditline/domain';
import { createHash } from 'node:crypto';

/** sha256 of the canonical request: equal for a retry, different for any other request. */
export const requestFingerprint = (fields: CanonicalRequestFields): string =>
  createHash('sha256').update(canonicalRequest(fields)).digest('base64url');
