import { isIdentifier } from '@creditline/domain';

/** Partners upload under `inbox/<partner_id>/`; results go beside it, named after the file. */
export const INBOX_PREFIX = 'inbox/';

/** `inbox/acme/2026-01-15.csv` → `acme`; a key not under a partner's prefix → undefined. */
export const partnerOfInboxKey = (key: string): string | undefined => {
  if (!key.startsWith(INBOX_PREFIX)) return undefined;
  const rest = key.slice(INBOX_PREFIX.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  const partner = rest.slice(0, slash);
  return isIdentifier(partner) ? partner : undefined;
};

const relative = (key: string): string =>
  key.startsWith(INBOX_PREFIX) ? key.slice(INBOX_PREFIX.length) : key;

/** `inbox/partner/2026-01-15.csv` → `processed/partner/2026-01-15.csv.summary.json`. */
export const summaryKey = (key: string): string => `processed/${relative(key)}.summary.json`;

/** `inbox/partner/2026-01-15.csv` → `rejected/partner/2026-01-15.csv.errors.csv`. */
export const errorsKey = (key: string): string => `rejected/${relative(key)}.errors.csv`;
