/** Partners upload under `inbox/`; results go beside it, named after the file. */
export const INBOX_PREFIX = 'inbox/';

const relative = (key: string): string =>
  key.startsWith(INBOX_PREFIX) ? key.slice(INBOX_PREFIX.length) : key;

/** `inbox/partner/2026-01-15.csv` → `processed/partner/2026-01-15.csv.summary.json`. */
export const summaryKey = (key: string): string => `processed/${relative(key)}.summary.json`;

/** `inbox/partner/2026-01-15.csv` → `rejected/partner/2026-01-15.csv.errors.csv`. */
export const errorsKey = (key: string): string => `rejected/${relative(key)}.errors.csv`;
