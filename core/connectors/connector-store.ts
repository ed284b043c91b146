import type pg from 'pg';
import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import type { ConnectorRecord, ErrorStrategy, LetterCasing } from './connector-record.js';

/** A connector row with its encrypted secrets, as stored. */
export interface StoredConnector extends ConnectorRecord {
  /** Ciphertext of a JSON object: `password` plus the plugin's secret options. */
  readonly secrets: string;
}

export type NewConnector = Omit<StoredConnector, 'active' | 'createdAt' | 'updatedAt'>;

interface ConnectorRow {
  name: string;
  type: string;
  host: string;
  port: number;
  user: string;
  database: string;
  schema: string | null;
  tables: string[] | null;
  snapshot_tables: string[] | null;
  letter_casing: LetterCasing;
  error_strategy: ErrorStrategy;
  options: Record<string, unknown>;
  secrets: string;
  active: boolean;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `name, type, host, port, "user", database, schema, tables, snapshot_tables, letter_casing,
  error_strategy, options, secrets, active, created_at, updated_at`;

/** SQL access to `tributary.connectors` and the per-connector rows created with it. */
@injectable()
export class ConnectorStore {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  /** Every connector by name; on `client` (e.g. inside a snapshot) when given. */
  async list(client?: pg.ClientBase): Promise<StoredConnector[]> {
    const sql = `SELECT ${COLUMNS} FROM tributary.connectors ORDER BY name`;
    const { rows } = await (client ? client.query<ConnectorRow>(sql) : this.db.query<ConnectorRow>(sql));
    return rows.map(fromRow);
  }

  async get(name: string): Promise<StoredConnector | null> {
    const { rows } = await this.db.query<ConnectorRow>(
      `SELECT ${COLUMNS} FROM tributary.connectors WHERE name = $1`,
      [name],
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Inserts the connector with its state and stats rows; returns null when the name is taken. */
  async insert(connector: NewConnector): Promise<StoredConnector | null> {
    return this.db.transaction(async (client) => {
      const { rows } = await client.query<ConnectorRow>(
        `INSERT INTO tributary.connectors (name, type, host, port, "user", database, schema, tables, snapshot_tables,
           letter_casing, error_strategy, options, secrets)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (name) DO NOTHING RETURNING ${COLUMNS}`,
        values(connector),
      );
      if (!rows[0]) return null;
      await client.query('INSERT INTO tributary.connector_state (connector) VALUES ($1)', [connector.name]);
      await client.query('INSERT INTO tributary.stats (connector) VALUES ($1)', [connector.name]);
      return fromRow(rows[0]);
    });
  }

  /** Rewrites every setting of an existing connector; returns null when it does not exist. */
  async update(connector: NewConnector): Promise<StoredConnector | null> {
    const { rows } = await this.db.query<ConnectorRow>(
      `UPDATE tributary.connectors SET type = $2, host = $3, port = $4, "user" = $5, database = $6, schema = $7,
         tables = $8, snapshot_tables = $9, letter_casing = $10, error_strategy = $11, options = $12, secrets = $13,
         updated_at = now()
       WHERE name = $1 RETURNING ${COLUMNS}`,
      values(connector),
    );
    return rows[0] ? fromRow(rows[0]) : null;
  }

  /** Deletes the connector and, by cascade, its state, offsets, rules, attributes, stats. */
  async delete(name: string): Promise<boolean> {
    const result = await this.db.query('DELETE FROM tributary.connectors WHERE name = $1', [name]);
    return (result.rowCount ?? 0) > 0;
  }
}

function values(connector: NewConnector): unknown[] {
  return [
    connector.name,
    connector.type,
    connector.host,
    connector.port,
    connector.user,
    connector.database,
    connector.schema,
    connector.tables,
    connector.snapshotTables,
    connector.letterCasing,
    connector.errorStrategy,
    JSON.stringify(connector.options),
    connector.secrets,
  ];
}

function fromRow(row: ConnectorRow): StoredConnector {
  return {
    name: row.name,
    type: row.type,
    host: row.host,
    port: row.port,
    user: row.user,
    database: row.database,
    schema: row.schema,
    tables: row.tables,
    snapshotTables: row.snapshot_tables,
    letterCasing: row.letter_casing,
    errorStrategy: row.error_strategy,
    options: row.options,
    secrets: row.secrets,
    active: row.active,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
