import type { AccountControls } from '../controls/controls.js';

/** One account: a partner's user. */
export interface AccountKey {
  readonly partner_id: string;
  readonly user_id: string;
}

/** A user's controls in the books (Aurora), with the version guarding them. */
export interface ControlsRecord extends AccountKey {
  readonly controls: AccountControls;
  /** 0: never set (the program defaults apply). */
  readonly version: number;
  readonly updated_at: string | null;
  readonly updated_by: string | null;
}

export interface ControlsChange {
  /** The version the writer read (If-Match), or null to replace whatever is there. */
  readonly expected_version: number | null;
  readonly controls: AccountControls;
  /** Who: the partner principal (or operator) that asked. */
  readonly actor: string;
  readonly at: Date;
}

export type ControlsChangeOutcome =
  | { readonly type: 'changed'; readonly record: ControlsRecord; readonly before: AccountControls }
  | { readonly type: 'stale'; readonly current: ControlsRecord }
  | { readonly type: 'unknown-user' };

/** One audited change whose event has not been published yet. */
export interface UnpublishedControlsChange {
  readonly record: ControlsRecord;
  readonly before: AccountControls;
}

/**
 * The source of truth for controls: every change is versioned (compare-and-set on the version
 * read) and audited in the same transaction.
 */
export interface ControlsBooks {
  /** The user's controls as stored (program defaults not applied), or null for no such user. */
  read(key: AccountKey): Promise<ControlsRecord | null>;
  change(key: AccountKey, change: ControlsChange): Promise<ControlsChangeOutcome>;
  /** Stamps the audit row of `version` as published (once; later stamps are no-ops). */
  markPublished(key: AccountKey, version: number, at: Date): Promise<void>;
  /** Audited changes made before `before` and not yet published, oldest first. */
  unpublished(limit: number, before: Date): Promise<UnpublishedControlsChange[]>;
}

export type ControlsWriteOutcome = 'written' | 'already-newer' | 'no-account';

/**
 * The account item's copy of the controls, the one decisions enforce. A write carries the
 * version and lands only over an older one, so write-throughs that race or are retried late
 * can never put older controls back.
 */
export interface ControlsCache {
  write(key: AccountKey, controls: AccountControls, version: number): Promise<ControlsWriteOutcome>;
  read(key: AccountKey): Promise<{ readonly controls: AccountControls; readonly version: number } | null>;
}
