import type pg from 'pg';
import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import { OffsetStore } from './offset-store.js';

export interface TableProgress {
  readonly sourceTable: string;
  readonly status: 'pending' | 'copying' | 'done';
  readonly rowsCopied: number;
  /** The capture offset the copy was taken at; null for tables created without data. */
  readonly snapshotOffset: string | null;
}

/**
 * Per-table snapshot progress and the committed stream offset. The `*In` methods run inside the
 * caller's transaction so they commit together with the rows they describe.
 */
@injectable()
export class ProgressStore {
  constructor(
    @inject(TARGET_DATABASE) private readonly db: TargetDatabase,
    @inject(OffsetStore) private readonly offsets: OffsetStore,
  ) {}

  async tables(connector: string): Promise<Map<string, TableProgress>> {
    const { rows } = await this.db.query<TableProgress>(
      `SELECT source_table AS "sourceTable", status, rows_copied::float8 AS "rowsCopied", snapshot_offset AS "snapshotOffset"
         FROM tributary.table_progress WHERE connector = $1`,
      [connector],
    );
    return new Map(rows.map((row) => [row.sourceTable, row]));
  }

  /** Marks a table copied (or created without data) as of `snapshotOffset`. */
  async tableDoneIn(
    client: pg.ClientBase,
    connector: string,
    sourceTable: string,
    rows: number,
    snapshotOffset: string | null,
  ): Promise<void> {
    await client.query(
      `INSERT INTO tributary.table_progress (connector, source_table, status, rows_copied, snapshot_offset, started_at, finished_at)
       VALUES ($1, $2, 'done', $3, $4, now(), now())
       ON CONFLICT (connector, source_table) DO UPDATE SET status = 'done', rows_copied = $3, snapshot_offset = $4,
         finished_at = now(), last_key = NULL`,
      [connector, sourceTable, rows, snapshotOffset],
    );
  }

  /** Forgets tables so the next snapshot copies them again (ALWAYS). */
  async forget(connector: string, sourceTables: readonly string[]): Promise<void> {
    await this.db.query(
      'DELETE FROM tributary.table_progress WHERE connector = $1 AND source_table = ANY($2)',
      [connector, sourceTables],
    );
  }

  /** Commits the stream position together with the rows applied up to it. */
  async offsetIn(client: pg.ClientBase, connector: string, offset: string): Promise<void> {
    await this.offsets.commitIn(client, connector, offset);
  }
}
