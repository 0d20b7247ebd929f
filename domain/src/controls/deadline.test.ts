import { describe, expect, it } from 'vitest';
import { requestDeadline } from './deadline.js';

describe('requestDeadline', () => {
  const at = (iso: string) => new Date(iso);
  it.each<[string, Parameters<typeof requestDeadline>[0], string | null]>([
    ['nothing bounds an HTTP request without expires_at', {}, null],
    ['expires_at alone', { expires_at: at('2026-12-01T12:00:00Z') }, '2026-12-01T12:00:00.000Z'],
    ['an event’s time plus its allowed age', { event_time: at('2026-12-01T12:00:00Z'), max_event_age_ms: 300_000 }, '2026-12-01T12:05:00.000Z'],
    ['the earlier of the two', { expires_at: at('2026-12-01T12:01:00Z'), event_time: at('2026-12-01T12:00:00Z'), max_event_age_ms: 300_000 }, '2026-12-01T12:01:00.000Z'],
    ['the event bound when expires_at is later', { expires_at: at('2026-12-02T00:00:00Z'), event_time: at('2026-12-01T12:00:00Z'), max_event_age_ms: 300_000 }, '2026-12-01T12:05:00.000Z'],
    ['an event time without a configured age does not bound', { event_time: at('2026-12-01T12:00:00Z') }, null],
  ])('%s', (_name, sources, expected) => {
    expect(requestDeadline(sources)?.toISOString() ?? null).toBe(expected);
  });
});
