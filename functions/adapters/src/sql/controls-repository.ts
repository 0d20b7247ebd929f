import {
  accountStatusSchema,
  centsSchema,
  currencySchema,
  effectiveControls,
  PermanentStoreError,
  velocityLimitSchema,
  type AccountControls,
  type AccountKey,
  type ControlsBooks,
  type ControlsRecord,
  type ProgramControls,
  type SqlExecutor,
  type SqlClient,
  type SqlRow,
} from '@creditline/domain';
import { z } from 'zod';

const jsonText = <T extends z.ZodType>(schema: T) =>
  z.string().transform((text, ctx): z.output<T> => {
    const parsed = schema.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: 'custom', message: parsed.error.message });
    return z.NEVER;
  });

const controlsRowSchema = z.object({
  user_id: z.string(),
  status: accountStatusSchema,
  currency: currencySchema,
  per_transaction_limit: centsSchema.nullable(),
  velocity_limits: jsonText(z.array(velocityLimitSchema)),
  balance_monitors: jsonText(z.array(centsSchema)),
  controls_version: z.number().int().nonnegative(),
  controls_updated_at: z.string().nullable(),
  controls_updated_by: z.string().nullable(),
});

const SELECT_CONTROLS = `
  SELECT user_id, status, currency, per_transaction_limit, velocity_limits::text AS velocity_limits,
         balance_monitors::text AS balance_monitors, controls_version, controls_updated_at, controls_updated_by
  FROM users WHERE partner_id = :partner_id AND user_id = :user_id`;

const UPDATE_CONTROLS = `
  UPDATE users SET status = :status, currency = :currency, per_transaction_limit = :max_per_transaction,
         velocity_limits = :velocity_limits::jsonb, balance_monitors = :balance_monitors::jsonb,
         controls_version = :version, controls_updated_at = :at::timestamptz, controls_updated_by = :actor
  WHERE partner_id = :partner_id AND user_id = :user_id AND controls_version = :previous_version`;

const INSERT_AUDIT = `
  INSERT INTO controls_audit (partner_id, user_id, version, changed_at, changed_by, before, after)
  VALUES (:partner_id, :user_id, :version, :at::timestamptz, :actor, :before::jsonb, :after::jsonb)`;

const MARK_PUBLISHED = `
  UPDATE controls_audit SET published_at = :at::timestamptz
  WHERE partner_id = :partner_id AND user_id = :user_id AND version = :version AND published_at IS NULL`;

const UNPUBLISHED = `
  SELECT partner_id, user_id, version, changed_at, changed_by, before::text AS before, after::text AS after
  FROM controls_audit WHERE published_at IS NULL AND changed_at < :before::timestamptz ORDER BY changed_at, version LIMIT :limit`;

const storedControlsSchema = z.object({
  status: accountStatusSchema,
  currency: currencySchema,
  max_per_transaction: centsSchema.nullable(),
  velocity_limits: z.array(velocityLimitSchema),
  balance_monitors: z.array(centsSchema),
});
const auditRowSchema = z.object({
  partner_id: z.string(),
  user_id: z.string(),
  version: z.number().int().positive(),
  changed_at: z.string(),
  changed_by: z.string(),
  before: jsonText(storedControlsSchema),
  after: jsonText(storedControlsSchema),
});

export interface ControlsRepositoryOptions {
  /** The partner's program defaults (stack file): they fill controls never set. */
  readonly programDefaults: (partnerId: string) => ProgramControls;
}

/**
 * Controls in the books: the users row holds them (005_controls.sql) with `controls_version`;
 * `controls_audit` keeps every version, append-only. A change locks the row, compares the
 * version the writer read, writes the next version and its audit row in one transaction.
 */
export const createControlsRepository = (
  sql: SqlClient,
  options: ControlsRepositoryOptions,
): ControlsBooks => {
  const toRecord = (key: AccountKey, raw: SqlRow): ControlsRecord => {
    const row = controlsRowSchema.safeParse(raw);
    if (!row.success)
      throw new PermanentStoreError(
        `controls of ${key.user_id} are malformed in the books: ${row.error.message}`,
        'MALFORMED_ROW',
      );
    const { data } = row;
    return {
      partner_id: key.partner_id,
      user_id: key.user_id,
      controls: effectiveControls(
        {
          status: data.status,
          currency: data.currency,
          max_per_transaction: data.per_transaction_limit,
          velocity_limits: data.velocity_limits,
          balance_monitors: data.balance_monitors,
          version: data.controls_version,
        },
        options.programDefaults(key.partner_id),
      ),
      version: data.controls_version,
      updated_at: data.controls_updated_at,
      updated_by: data.controls_updated_by,
    };
  };

  const readWith = async (
    executor: SqlExecutor,
    key: AccountKey,
    lock: boolean,
  ): Promise<ControlsRecord | null> => {
    const { rows } = await executor.query(
      lock ? `${SELECT_CONTROLS} FOR UPDATE` : SELECT_CONTROLS,
      { partner_id: key.partner_id, user_id: key.user_id },
    );
    return rows[0] === undefined ? null : toRecord(key, rows[0]);
  };

  const json = (controls: AccountControls): string => JSON.stringify(controls);

  return {
    read: (key) => readWith(sql, key, false),

    change: (key, change) =>
      sql.transaction(async (tx) => {
        const current = await readWith(tx, key, true);
        if (current === null) return { type: 'unknown-user' as const };
        if (change.expected_version !== null && change.expected_version !== current.version)
          return { type: 'stale' as const, current };
        const version = current.version + 1;
        const at = change.at.toISOString();
        const { controls } = change;
        const updated = await tx.query(UPDATE_CONTROLS, {
          partner_id: key.partner_id,
          user_id: key.user_id,
          status: controls.status,
          currency: controls.currency,
          max_per_transaction: controls.max_per_transaction,
          velocity_limits: JSON.stringify(controls.velocity_limits),
          balance_monitors: JSON.stringify(controls.balance_monitors),
          version,
          previous_version: current.version,
          at,
          actor: change.actor,
        });
        // The row is locked: another version cannot have slipped in. Say so loudly if it did.
        if (updated.rowCount !== 1)
          throw new PermanentStoreError(
            `controls of ${key.user_id} changed under a row lock`,
            'LOST_LOCK',
          );
        await tx.query(INSERT_AUDIT, {
          partner_id: key.partner_id,
          user_id: key.user_id,
          version,
          at,
          actor: change.actor,
          before: json(current.controls),
          after: json(controls),
        });
        return {
          type: 'changed' as const,
          before: current.controls,
          record: { ...key, controls, version, updated_at: at, updated_by: change.actor },
        };
      }),

    async markPublished(key, version, at) {
      await sql.query(MARK_PUBLISHED, { ...key, version, at: at.toISOString() });
    },

    async unpublished(limit, before) {
      const { rows } = await sql.query(UNPUBLISHED, { limit, before: before.toISOString() });
      return rows.map((raw) => {
        const row = auditRowSchema.parse(raw);
        return {
          before: row.before,
          record: {
            partner_id: row.partner_id,
            user_id: row.user_id,
            controls: row.after,
            version: row.version,
            updated_at: row.changed_at,
            updated_by: row.changed_by,
          },
        };
      });
    },
  };
};
