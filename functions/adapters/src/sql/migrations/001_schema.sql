-- creditline relational books (Aurora PostgreSQL; plain PostgreSQL locally).
-- Money is bigint cents everywhere; CHECK constraints keep it so.

CREATE TABLE users (
  user_id text PRIMARY KEY,
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  currency char(3) NOT NULL DEFAULT 'USD',
  per_transaction_limit bigint CHECK (per_transaction_limit IS NULL OR per_transaction_limit > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The settled balance: sum(deposits) - sum(permitted transactions), kept by the writers and
-- proven by reconciliation.
CREATE TABLE credit_balance (
  user_id text PRIMARY KEY REFERENCES users (user_id),
  balance bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deposits (
  deposit_id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (user_id),
  amount bigint NOT NULL CHECK (amount > 0),
  deposited_at timestamptz NOT NULL,
  source_key text,
  source_line integer,
  credited_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deposits_user_id_idx ON deposits (user_id);

-- One row per decision, PERMITTED or REJECTED. No foreign key on user_id: an UNKNOWN_USER
-- rejection is a decision about a user the books do not know.
CREATE TABLE transactions (
  transaction_id text PRIMARY KEY,
  user_id text NOT NULL,
  amount bigint NOT NULL,
  currency char(3),
  status text NOT NULL CHECK (status IN ('PERMITTED', 'REJECTED')),
  reason text,
  remaining_credit bigint NOT NULL,
  decided_at timestamptz NOT NULL,
  settled_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((status = 'PERMITTED') = (reason IS NULL))
);
CREATE INDEX transactions_permitted_user_idx ON transactions (user_id) INCLUDE (amount) WHERE status = 'PERMITTED';

CREATE TABLE reconciliation_runs (
  run_id text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  users_checked integer NOT NULL DEFAULT 0,
  drifted_users integer NOT NULL DEFAULT 0,
  drift_amount bigint NOT NULL DEFAULT 0,
  unsettled_decisions integer NOT NULL DEFAULT 0,
  repaired integer NOT NULL DEFAULT 0,
  report_key text,
  summary jsonb
);
