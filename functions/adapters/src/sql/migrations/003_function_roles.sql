-- One database role per function, so no function works as the master user and the
-- internet-facing TransactionValidator cannot write the books at all.
--
-- Two group roles hold the privileges, on every table of the schema now and (default
-- privileges of the role that runs the migrations) on every table a later migration creates:
--   creditline_reader: SELECT.
--   creditline_writer: SELECT, INSERT, UPDATE (never DELETE, TRUNCATE or DDL).
-- The login roles are members of one of them. They have no password here: on AWS the migrator
-- gives each its password and keeps it in the function's own Secrets Manager secret
-- (infra/migrator/role-credentials.ts); locally nothing logs in as them.
-- Roles belong to the whole PostgreSQL cluster, so each is created only when it is missing.

DO $$
DECLARE
  role_name text;
BEGIN
  FOREACH role_name IN ARRAY ARRAY['creditline_reader', 'creditline_writer'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', role_name);
    END IF;
  END LOOP;
  FOREACH role_name IN ARRAY ARRAY['creditline_validator', 'creditline_deposits', 'creditline_logger', 'creditline_reconciliation'] LOOP
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role_name) THEN
      EXECUTE format('CREATE ROLE %I LOGIN', role_name);
    END IF;
  END LOOP;
END
$$;

GRANT creditline_reader TO creditline_validator;
GRANT creditline_writer TO creditline_deposits, creditline_logger, creditline_reconciliation;

GRANT USAGE ON SCHEMA public TO creditline_reader, creditline_writer;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO creditline_reader;
GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO creditline_writer;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO creditline_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO creditline_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE ON TABLES TO creditline_writer;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO creditline_writer;

-- The migration history is the migrator's alone.
REVOKE INSERT, UPDATE ON schema_migrations FROM creditline_writer;
