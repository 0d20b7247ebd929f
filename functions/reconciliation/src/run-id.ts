/** `20261125T020000Z-1a2b3c4d`: sorts by start time, unique with a random suffix the caller supplies. */
export const runIdFor = (now: Date, suffix: string): string =>
  `${now.toISOString().replace(/[-:]|\.\d{3}/g, '')}-${suffix}`;
