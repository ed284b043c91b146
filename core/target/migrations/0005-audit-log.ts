/** Every API mutation: who (role, token id — never the token), what (arguments, secrets redacted), when, result. */
export const sql = `
CREATE TABLE tributary.audit_log (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  role      text NOT NULL,
  token_id  text,
  mutation  text NOT NULL,
  connector text,
  arguments jsonb NOT NULL,
  outcome   text NOT NULL
);
CREATE INDEX audit_log_connector ON tributary.audit_log (connector, id DESC);
`;
