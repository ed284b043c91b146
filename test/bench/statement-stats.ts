import type pg from 'pg';

/** One normalised statement's totals from pg_stat_statements. */
export interface StatementStat {
  readonly query: string;
  readonly calls: number;
  /** Execution time. */
  readonly totalMs: number;
  /** Planning time (track_planning is on in the target cluster). */
  readonly planMs: number;
  readonly rows: number;
}

/** This database's statements, without the bench's own (these queries and its marker polling, both sections'). */
const OWN_DATABASE_ONLY = `dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND query NOT LIKE '%pg_stat_statements%'
  AND query NOT LIKE 'SELECT ROW(%'
  AND query NOT LIKE 'SELECT concat_ws(%'`;

/**
 * What one database's sessions ran during a phase, from pg_stat_statements (the target cluster
 * preloads it): shows how many statements a replicator sent and which of them took the time.
 * Native logical replication's apply worker bypasses the planner and is not counted.
 */
export class StatementStats {
  constructor(private readonly pool: pg.Pool) {}

  async install(): Promise<void> {
    await this.pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  }

  async reset(): Promise<void> {
    await this.pool.query('SELECT pg_stat_statements_reset()');
  }

  /** The statements of this database by total execution time. */
  async top(limit: number): Promise<StatementStat[]> {
    const { rows } = await this.pool.query<{
      query: string;
      calls: string;
      total_ms: number;
      plan_ms: number;
      rows: string;
    }>(
      `SELECT regexp_replace(query, '\\s+', ' ', 'g') AS query, calls, total_exec_time AS total_ms,
              total_plan_time AS plan_ms, rows
         FROM pg_stat_statements
        WHERE ${OWN_DATABASE_ONLY}
        ORDER BY total_exec_time + total_plan_time DESC
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      query: row.query,
      calls: Number(row.calls),
      totalMs: row.total_ms,
      planMs: row.plan_ms,
      rows: Number(row.rows),
    }));
  }

  /** Calls of all statements of this database. */
  async totalCalls(): Promise<number> {
    const { rows } = await this.pool.query<{ calls: string | null }>(
      `SELECT sum(calls)::text AS calls FROM pg_stat_statements
        WHERE ${OWN_DATABASE_ONLY}`,
    );
    return Number(rows[0]?.calls ?? 0);
  }
}
