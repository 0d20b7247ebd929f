/**
 * A request's deadline: its own `expires_at`, and for an event also its `time` plus the
 * longest the partner's event may wait (the bus and Lambda retry asynchronous deliveries for
 * hours). A request decided after its deadline is REJECTED EXPIRED and never held, so a
 * partner that timed out and re-sent under a new id is never charged twice.
 */
export interface DeadlineSources {
  readonly expires_at?: Date | undefined;
  readonly event_time?: Date | undefined;
  /** How long after its `time` an event may still be decided. */
  readonly max_event_age_ms?: number | undefined;
}

export const requestDeadline = (sources: DeadlineSources): Date | null => {
  const bounds: number[] = [];
  if (sources.expires_at !== undefined) bounds.push(sources.expires_at.getTime());
  if (sources.event_time !== undefined && sources.max_event_age_ms !== undefined) {
    bounds.push(sources.event_time.getTime() + sources.max_event_age_ms);
  }
  return bounds.length === 0 ? null : new Date(Math.min(...bounds));
};
