/**
 * Which connector owns each destination table: one row per table, so two connectors can never both
 * hold one (the primary key serialises concurrent claims). Released with the connector (cascade).
 * Existing installations: each table recorded in `attributes` goes to the connector that wrote it;
 * a table two connectors already shared goes to the older connector, and the other is refused on
 * its next start.
 */
export const sql = `
CREATE TABLE tributary.table_owners (
  destination_schema text NOT NULL,
  destination_table  text NOT NULL,
  connector          text NOT NULL REFERENCES tributary.connectors (name) ON DELETE CASCADE ON UPDATE CASCADE,
  source_table       text NOT NULL,
  claimed_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (destination_schema, destination_table)
);
CREATE INDEX table_owners_connector ON tributary.table_owners (connector, source_table);
COMMENT ON TABLE tributary.table_owners IS
  'the connector that owns each destination table; a start or mapping rule writing into another''s is refused';

INSERT INTO tributary.table_owners (destination_schema, destination_table, connector, source_table)
SELECT DISTINCT ON (a.destination_schema, a.destination_table)
       a.destination_schema, a.destination_table, a.connector, a.source_table
  FROM tributary.attributes a
  JOIN tributary.connectors c ON c.name = a.connector
 WHERE NOT a.dropped
 ORDER BY a.destination_schema, a.destination_table, c.created_at, c.name, a.source_table;
`;
