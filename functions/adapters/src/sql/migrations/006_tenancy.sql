-- Partners are tenants: every user, deposit and decision belongs to one partner, and ids are
-- unique per partner (two partners may both have a user "alice" or a transaction "tx-1").
--
-- Rows that exist before this migration belong to the configured default partner: the migrator
-- sets `creditline.default_partner` for the transaction (applyMigrations' settings, from
-- DEFAULT_PARTNER). A database that holds rows and no such setting refuses to migrate rather
-- than guess. Nothing is deleted: every row keeps its values and gains its partner, so the
-- per-user sums reconciliation compares are the same sums, now keyed (partner, user).

DO $$
BEGIN
  IF COALESCE(current_setting('creditline.default_partner', true), '') = ''
     AND (EXISTS (SELECT 1 FROM users) OR EXISTS (SELECT 1 FROM transactions) OR EXISTS (SELECT 1 FROM deposits)) THEN
    RAISE EXCEPTION 'creditline.default_partner is not set: name the partner the existing rows belong to';
  END IF;
END
$$;

ALTER TABLE users ADD COLUMN partner_id text;
ALTER TABLE credit_balance ADD COLUMN partner_id text;
ALTER TABLE deposits ADD COLUMN partner_id text;
ALTER TABLE transactions ADD COLUMN partner_id text;

UPDATE users SET partner_id = current_setting('creditline.default_partner', true);
UPDATE credit_balance SET partner_id = current_setting('creditline.default_partner', true);
UPDATE deposits SET partner_id = current_setting('creditline.default_partner', true);
UPDATE transactions SET partner_id = current_setting('creditline.default_partner', true);

ALTER TABLE users ALTER COLUMN partner_id SET NOT NULL;
ALTER TABLE credit_balance ALTER COLUMN partner_id SET NOT NULL;
ALTER TABLE deposits ALTER COLUMN partner_id SET NOT NULL;
ALTER TABLE transactions ALTER COLUMN partner_id SET NOT NULL;

-- Keys become (partner_id, id): the foreign keys first, then the primary keys they point at.
ALTER TABLE credit_balance DROP CONSTRAINT credit_balance_user_id_fkey;
ALTER TABLE deposits DROP CONSTRAINT deposits_user_id_fkey;

ALTER TABLE users DROP CONSTRAINT users_pkey;
ALTER TABLE users ADD PRIMARY KEY (partner_id, user_id);
ALTER TABLE credit_balance DROP CONSTRAINT credit_balance_pkey;
ALTER TABLE credit_balance ADD PRIMARY KEY (partner_id, user_id);
ALTER TABLE deposits DROP CONSTRAINT deposits_pkey;
ALTER TABLE deposits ADD PRIMARY KEY (partner_id, deposit_id);
ALTER TABLE transactions DROP CONSTRAINT transactions_pkey;
ALTER TABLE transactions ADD PRIMARY KEY (partner_id, transaction_id);

ALTER TABLE credit_balance ADD FOREIGN KEY (partner_id, user_id) REFERENCES users (partner_id, user_id);
ALTER TABLE deposits ADD FOREIGN KEY (partner_id, user_id) REFERENCES users (partner_id, user_id);

DROP INDEX deposits_user_id_idx;
CREATE INDEX deposits_user_idx ON deposits (partner_id, user_id);
DROP INDEX transactions_permitted_user_idx;
CREATE INDEX transactions_permitted_user_idx ON transactions (partner_id, user_id) INCLUDE (amount) WHERE status = 'PERMITTED';
