import { detailTypes, eventSources } from '@creditline/adapters/definitions';
import {
  controlsFromInput,
  controlsInputSchema,
  issuesToDetails,
  type AccountControls,
  type AccountKey,
  type ApiErrorDetail,
  type Clock,
  type ControlsBooks,
  type ControlsCache,
  type ControlsChangedDetail,
  type ControlsRecord,
  type ControlsResponse,
  type EventPublisher,
} from '@creditline/domain';

export interface ControlsApiDependencies {
  readonly books: ControlsBooks;
  readonly cache: ControlsCache;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
}

export interface PutControlsCommand {
  readonly key: AccountKey;
  readonly body: unknown;
  /** The `If-Match` header as sent, if any. */
  readonly ifMatch: string | undefined;
  /** Who asks: the verified principal, recorded in the audit. */
  readonly actor: string;
}

export type PutControlsOutcome =
  | { readonly type: 'saved'; readonly controls: ControlsResponse }
  | { readonly type: 'invalid'; readonly details: readonly ApiErrorDetail[] }
  | { readonly type: 'not-found' }
  | { readonly type: 'precondition-failed'; readonly current: ControlsResponse };

export interface ControlsApi {
  get(key: AccountKey): Promise<ControlsResponse | null>;
  put(command: PutControlsCommand): Promise<PutControlsOutcome>;
  /**
   * Writes through and publishes what a crash left behind: audit rows still unpublished after
   * the grace a live PUT needs to finish its own propagation (so the two never race).
   */
  heal(limit: number): Promise<number>;
}

/** How long a change may stay unpublished before `heal` takes it for a crash's leftover. */
export const HEAL_GRACE_MS = 60_000;

/** The ETag of a version, and the If-Match values that name it: `"3"`, `W/"3"`, `3`; `*` is any. */
export const etagOf = (version: number): string => `"${version}"`;

const parseIfMatch = (
  header: string | undefined,
): { ok: true; version: number | null } | { ok: false } => {
  if (header === undefined || header.trim() === '*') return { ok: true, version: null };
  const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(header);
  return match?.[1] === undefined ? { ok: false } : { ok: true, version: Number(match[1]) };
};

export const toControlsResponse = (record: ControlsRecord): ControlsResponse => ({
  user_id: record.user_id,
  ...record.controls,
  version: record.version,
  updated_at: record.updated_at,
});

/**
 * Controls over the HTTP API. Aurora is the source of truth: a PUT is a compare-and-set on the
 * version the caller read (If-Match), audited in the same transaction; then the account item's
 * copy is written with that version (so the very next decision enforces it) and the change is
 * published. A crash after the books commit leaves the account item on the old version: the
 * caller's retry (same If-Match) is a 412 that writes the current version through, and `heal`
 * (run by the reconciliation) writes through and publishes every change left unpublished. Content is never taken for a replay: two writers making the same change from
 * the same version are two changes, and the second must re-read (that is what If-Match is for).
 */
export const createControlsApi = (deps: ControlsApiDependencies): ControlsApi => {
  const propagate = async (record: ControlsRecord, previous: AccountControls): Promise<void> => {
    const key = { partner_id: record.partner_id, user_id: record.user_id };
    await deps.cache.write(key, record.controls, record.version);
    const detail: ControlsChangedDetail = {
      partner_id: record.partner_id,
      user_id: record.user_id,
      version: record.version,
      controls: record.controls,
      previous,
      changed_by: record.updated_by ?? 'unknown',
      changed_at: record.updated_at ?? deps.clock.now().toISOString(),
    };
    await deps.publisher.publish([
      { source: eventSources.controls, detailType: detailTypes.controlsChanged, detail },
    ]);
    await deps.books.markPublished(key, record.version, deps.clock.now());
  };

  const heal = async (limit: number): Promise<number> => {
    const pending = await deps.books.unpublished(
      limit,
      new Date(deps.clock.now().getTime() - HEAL_GRACE_MS),
    );
    for (const change of pending) await propagate(change.record, change.before);
    return pending.length;
  };

  /** Without If-Match the fields given still merge over the latest controls: re-read and retry on a race. */
  const UNCONDITIONAL_ATTEMPTS = 5;

  return {
    async get(key) {
      const record = await deps.books.read(key);
      return record === null ? null : toControlsResponse(record);
    },

    async put(command) {
      const input = controlsInputSchema.safeParse(command.body);
      const ifMatch = parseIfMatch(command.ifMatch);
      if (!input.success || !ifMatch.ok) {
        return {
          type: 'invalid',
          details: [
            ...(input.success ? [] : issuesToDetails(input.error.issues)),
            ...(ifMatch.ok
              ? []
              : [{ path: 'If-Match', message: 'must be the ETag of a version, such as "3"' }]),
          ],
        };
      }
      for (let attempt = 1; ; attempt += 1) {
        const current = await deps.books.read(command.key);
        if (current === null) return { type: 'not-found' };
        const controls = controlsFromInput(input.data, current.controls);
        const expected = ifMatch.version ?? current.version;
        const outcome = await deps.books.change(command.key, {
          expected_version: expected,
          controls,
          actor: command.actor,
          at: deps.clock.now(),
        });
        if (outcome.type === 'unknown-user') return { type: 'not-found' };
        if (outcome.type === 'changed') {
          await propagate(outcome.record, outcome.before);
          return { type: 'saved', controls: toControlsResponse(outcome.record) };
        }
        if (ifMatch.version === null) {
          if (attempt < UNCONDITIONAL_ATTEMPTS) continue;
          return { type: 'precondition-failed', current: toControlsResponse(outcome.current) };
        }
        // A 412 also puts the current version on the account item, in case a crash left it
        // there only in the books (the caller's retry after a lost answer lands here). The
        // write is conditional on the version, so it is harmless when the copy is already there;
        // the event of such a change is left to `heal`.
        await deps.cache.write(command.key, outcome.current.controls, outcome.current.version);
        return { type: 'precondition-failed', current: toControlsResponse(outcome.current) };
      }
    },

    heal,
  };
};
