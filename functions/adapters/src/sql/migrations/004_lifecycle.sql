-- The hold lifecycle's books: every hold and every operation on it as an append-only row under
-- its own idempotency key (the primary key), scoped to the owning partner. Nothing here is ever
-- updated or deleted (a trigger refuses it); a hold's figures and a user's pending and posted
-- totals are derived from the rows by the views below.
--
-- How the rows move credit_balance (which stays "available as settled"): the decision's row in
-- `transactions` already subtracted the authorized amount; a capture moves nothing (held money
-- becomes posted money), a release (final capture, void, expiry) and a refund give money back,
-- a permitted increment takes more. So, per user:
--   credit_balance = deposits - permitted - increments + released + refunded
--   pending        = sum over holds of (authorized - captured - released)
--   posted         = permitted + increments - released - refunded - pending
-- and credited - posted - pending = credit_balance, which reconciliation proves.

CREATE FUNCTION lifecycle_rows_are_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'restrict_violation';
END;
$$;

-- One row per PERMITTED authorization (a REJECT holds nothing; its decision is in `transactions`).
-- automatic: captured at authorization, nothing held; manual: held until captured, voided or expired.
CREATE TABLE holds (
  partner_id text NOT NULL,
  transaction_id text NOT NULL,
  user_id text NOT NULL,
  capture_method text NOT NULL CHECK (capture_method IN ('automatic', 'manual')),
  amount bigint NOT NULL CHECK (amount > 0),
  currency char(3),
  hold_expires_at timestamptz,
  authorized_at timestamptz NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, transaction_id),
  CHECK ((capture_method = 'manual') = (hold_expires_at IS NOT NULL))
);
CREATE INDEX holds_user_idx ON holds (partner_id, user_id);

-- `released`: what a final capture gave back (the rest of the hold), 0 otherwise.
CREATE TABLE captures (
  partner_id text NOT NULL,
  transaction_id text NOT NULL,
  capture_id text NOT NULL,
  fingerprint text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  final boolean NOT NULL,
  released bigint NOT NULL CHECK (released >= 0),
  occurred_at timestamptz NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, transaction_id, capture_id),
  FOREIGN KEY (partner_id, transaction_id) REFERENCES holds (partner_id, transaction_id)
);

-- A hold is voided once and expires once: the second key column makes that a constraint.
CREATE TABLE voids (
  partner_id text NOT NULL,
  transaction_id text NOT NULL,
  void_id text NOT NULL,
  fingerprint text NOT NULL,
  released bigint NOT NULL CHECK (released > 0),
  occurred_at timestamptz NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, transaction_id, void_id),
  UNIQUE (partner_id, transaction_id),
  FOREIGN KEY (partner_id, transaction_id) REFERENCES holds (partner_id, transaction_id)
);

CREATE TABLE expiries (
  partner_id text NOT NULL,
  transaction_id text NOT NULL,
  released bigint NOT NULL CHECK (released > 0),
  occurred_at timestamptz NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, transaction_id),
  FOREIGN KEY (partner_id, transaction_id) REFERENCES holds (partner_id, transaction_id)
);

-- An increment is a decision: a REJECT is kept too (it answers its key's retries), holding nothing.
CREATE TABLE increments (
  partner_id text NOT NULL,
  transaction_id text NOT NULL,
  increment_id text NOT NULL,
  fingerprint text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('PERMITTED', 'REJECTED')),
  reason text,
  occurred_at timestamptz NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, transaction_id, increment_id),
  FOREIGN KEY (partner_id, transaction_id) REFERENCES holds (partner_id, transaction_id),
  CHECK ((status = 'PERMITTED') = (reason IS NULL))
);

CREATE TABLE refunds (
  partner_id text NOT NULL,
  transaction_id text NOT NULL,
  refund_id text NOT NULL,
  fingerprint text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  occurred_at timestamptz NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, transaction_id, refund_id),
  FOREIGN KEY (partner_id, transaction_id) REFERENCES holds (partner_id, transaction_id)
);

CREATE TRIGGER holds_append_only BEFORE UPDATE OR DELETE ON holds FOR EACH ROW EXECUTE FUNCTION lifecycle_rows_are_append_only();
CREATE TRIGGER captures_append_only BEFORE UPDATE OR DELETE ON captures FOR EACH ROW EXECUTE FUNCTION lifecycle_rows_are_append_only();
CREATE TRIGGER voids_append_only BEFORE UPDATE OR DELETE ON voids FOR EACH ROW EXECUTE FUNCTION lifecycle_rows_are_append_only();
CREATE TRIGGER expiries_append_only BEFORE UPDATE OR DELETE ON expiries FOR EACH ROW EXECUTE FUNCTION lifecycle_rows_are_append_only();
CREATE TRIGGER increments_append_only BEFORE UPDATE OR DELETE ON increments FOR EACH ROW EXECUTE FUNCTION lifecycle_rows_are_append_only();
CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION lifecycle_rows_are_append_only();

-- A hold's figures, as the domain's HoldState names them.
CREATE VIEW hold_figures AS
SELECT
  h.partner_id,
  h.transaction_id,
  h.user_id,
  h.capture_method,
  h.currency,
  h.hold_expires_at,
  (h.amount + coalesce(i.total, 0))::bigint AS amount,
  ((CASE WHEN h.capture_method = 'automatic' THEN h.amount ELSE 0 END) + coalesce(c.total, 0))::bigint AS captured,
  coalesce(r.total, 0)::bigint AS refunded,
  (coalesce(c.released, 0) + coalesce(v.released, 0) + coalesce(e.released, 0))::bigint AS released,
  coalesce(i.total, 0)::bigint AS increments,
  CASE
    WHEN e.transaction_id IS NOT NULL THEN 'expiry'
    WHEN v.transaction_id IS NOT NULL THEN 'void'
    -- A final capture, or captures of everything authorized, close the hold.
    WHEN h.capture_method = 'automatic' OR coalesce(c.any_final, false)
      OR coalesce(c.total, 0) + coalesce(c.released, 0) >= h.amount + coalesce(i.total, 0) THEN 'capture'
  END AS closed_by
FROM holds h
LEFT JOIN (
  SELECT partner_id, transaction_id, sum(amount) AS total, sum(released) AS released, bool_or(final) AS any_final
  FROM captures GROUP BY partner_id, transaction_id
) c USING (partner_id, transaction_id)
LEFT JOIN (
  SELECT partner_id, transaction_id, sum(amount) AS total
  FROM increments WHERE status = 'PERMITTED' GROUP BY partner_id, transaction_id
) i USING (partner_id, transaction_id)
LEFT JOIN (
  SELECT partner_id, transaction_id, sum(amount) AS total FROM refunds GROUP BY partner_id, transaction_id
) r USING (partner_id, transaction_id)
LEFT JOIN voids v USING (partner_id, transaction_id)
LEFT JOIN expiries e USING (partner_id, transaction_id);

-- Per user: what is held now, and what the lifecycle moved since the decisions were settled.
CREATE VIEW user_hold_books AS
SELECT
  partner_id,
  user_id,
  sum(amount - captured - released)::bigint AS pending,
  sum(increments)::bigint AS increments,
  sum(released)::bigint AS released,
  sum(refunded)::bigint AS refunded
FROM hold_figures
GROUP BY partner_id, user_id;

-- Append-only for the function roles too (003 grants UPDATE on every new table by default).
REVOKE UPDATE ON holds, captures, voids, expiries, increments, refunds FROM creditline_writer;
