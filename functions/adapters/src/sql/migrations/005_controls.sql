-- Account controls (issue 15). The users row is the source of truth for a user's controls:
-- status, currency and per_transaction_limit were there already; velocity limits and balance
-- monitors join them, with the version that guards every change (If-Match) and that the
-- account item's copy carries. controls_version 0: never set by the partner, so the program
-- defaults (stack file) supply the limits and monitors.

ALTER TABLE users DROP CONSTRAINT IF EXISTS users_status_check;
ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('ACTIVE', 'SUSPENDED', 'CLOSED'));

ALTER TABLE users
  ADD COLUMN velocity_limits jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(velocity_limits) = 'array'),
  ADD COLUMN balance_monitors jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(balance_monitors) = 'array'),
  ADD COLUMN controls_version integer NOT NULL DEFAULT 0 CHECK (controls_version >= 0),
  ADD COLUMN controls_updated_at timestamptz,
  ADD COLUMN controls_updated_by text;

-- Who changed what, when: one row per version, never updated or deleted (the trigger below),
-- except for the one-way stamp that the change's event was published.
CREATE TABLE controls_audit (
  partner_id text NOT NULL,
  user_id text NOT NULL,
  version integer NOT NULL CHECK (version > 0),
  changed_at timestamptz NOT NULL,
  changed_by text NOT NULL,
  before jsonb NOT NULL,
  after jsonb NOT NULL,
  published_at timestamptz,
  PRIMARY KEY (partner_id, user_id, version)
);
CREATE INDEX controls_audit_unpublished_idx ON controls_audit (changed_at) WHERE published_at IS NULL;

CREATE FUNCTION controls_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND OLD.published_at IS NULL
     AND NEW.published_at IS NOT NULL
     AND (to_jsonb(NEW) - 'published_at') = (to_jsonb(OLD) - 'published_at') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'controls_audit is append-only (% refused)', TG_OP;
END;
$$;

CREATE TRIGGER controls_audit_append_only
  BEFORE UPDATE OR DELETE ON controls_audit
  FOR EACH ROW EXECUTE FUNCTION controls_audit_append_only();

-- The TransactionValidator serves the controls API, and may change controls and nothing else
-- of the books (003 keeps it a reader): the controls columns of users, an audit row, and the
-- audit row's publication stamp. Column grants, so it still cannot touch a balance or a status
-- column of any other table.
GRANT UPDATE (status, currency, per_transaction_limit, velocity_limits, balance_monitors, controls_version, controls_updated_at, controls_updated_by)
  ON users TO creditline_validator;
GRANT INSERT ON controls_audit TO creditline_validator;
GRANT UPDATE (published_at) ON controls_audit TO creditline_validator;
