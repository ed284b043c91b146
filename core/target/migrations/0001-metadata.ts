/** The metadata schema: one row per connector, with its state, offset, progress, rules and stats. */
export const sql = `
CREATE TABLE tributary.connectors (
  name            text PRIMARY KEY,
  type            text NOT NULL,
  host            text NOT NULL,
  port            integer NOT NULL CHECK (port BETWEEN 1 AND 65535),
  "user"          text NOT NULL,
  database        text NOT NULL,
  schema          text,
  tables          text[],
  snapshot_tables text[],
  letter_casing   text NOT NULL DEFAULT 'lowercase',
  error_strategy  text NOT NULL DEFAULT 'exit',
  options         jsonb NOT NULL DEFAULT '{}'::jsonb,
  secrets         text NOT NULL,
  active          boolean NOT NULL DEFAULT false,
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN tributary.connectors.secrets IS 'AES-256-GCM ciphertext of a JSON object of secrets';

CREATE TABLE tributary.connector_state (
  connector     text PRIMARY KEY REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  stage         text NOT NULL DEFAULT 'initial_snapshot',
  state         text NOT NULL DEFAULT 'stopped',
  paused        boolean NOT NULL DEFAULT false,
  snapshot_done boolean NOT NULL DEFAULT false,
  error         text,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tributary.offsets (
  connector    text PRIMARY KEY REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  "offset"     text,
  start_offset text,
  updated_at   timestamptz NOT NULL DEFAULT now()
);
COMMENT ON COLUMN tributary.offsets."offset" IS 'last committed checkpoint; the stream resumes after it';
COMMENT ON COLUMN tributary.offsets.start_offset IS 'where the stream starts before the first checkpoint commits';

CREATE TABLE tributary.table_progress (
  connector    text NOT NULL REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  source_table text NOT NULL,
  status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'copying', 'done')),
  last_key     jsonb,
  snapshot_offset text,
  rows_copied  bigint NOT NULL DEFAULT 0,
  started_at   timestamptz,
  finished_at  timestamptz,
  PRIMARY KEY (connector, source_table)
);
COMMENT ON COLUMN tributary.table_progress.snapshot_offset IS
  'the capture offset the copy was taken at; the stream skips this table''s changes at or before it';

CREATE TABLE tributary.mapping_rules (
  connector   text NOT NULL REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('table', 'column', 'datatype', 'transform')),
  source      text NOT NULL,
  destination text NOT NULL,
  enabled     boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (connector, kind, source)
);

CREATE TABLE tributary.attributes (
  connector          text NOT NULL REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  source_table       text NOT NULL,
  position           integer NOT NULL,
  source_column      text NOT NULL,
  source_type        text NOT NULL,
  destination_schema text NOT NULL,
  destination_table  text NOT NULL,
  destination_column text NOT NULL,
  dropped            boolean NOT NULL DEFAULT false,
  PRIMARY KEY (connector, source_table, position)
);

CREATE TABLE tributary.stats (
  connector          text PRIMARY KEY REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  ddls               bigint NOT NULL DEFAULT 0,
  dmls               bigint NOT NULL DEFAULT 0,
  creates            bigint NOT NULL DEFAULT 0,
  updates            bigint NOT NULL DEFAULT 0,
  deletes            bigint NOT NULL DEFAULT 0,
  truncates          bigint NOT NULL DEFAULT 0,
  transactions       bigint NOT NULL DEFAULT 0,
  bad_events         bigint NOT NULL DEFAULT 0,
  total_events       bigint NOT NULL DEFAULT 0,
  batches_done       bigint NOT NULL DEFAULT 0,
  batched_events     bigint NOT NULL DEFAULT 0,
  first_source_ts    timestamptz,
  first_applied_ts   timestamptz,
  last_source_ts     timestamptz,
  last_applied_ts    timestamptz,
  snapshot_tables    integer NOT NULL DEFAULT 0,
  snapshot_rows      bigint NOT NULL DEFAULT 0,
  snapshot_begin_ts  timestamptz,
  snapshot_end_ts    timestamptz,
  lag_ms             double precision
);

CREATE TABLE tributary.dead_letters (
  id           bigserial PRIMARY KEY,
  connector    text NOT NULL REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  source_table text,
  "offset"     text,
  event        jsonb NOT NULL,
  error        text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dead_letters_connector ON tributary.dead_letters (connector, id);
`;
