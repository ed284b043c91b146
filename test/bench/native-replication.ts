import type { BenchDatabase } from './bench-clusters.js';
import { pollUntil, secondsSince } from './poll.js';

const NAME = 'bench_native';

/**
 * PostgreSQL's own logical replication of `public.bench` — a publication at the source and a
 * subscription (whose slot has the same name) in a target database with the table pre-created —
 * the baseline for the initial sync and for applying backlogs.
 */
export class NativeReplication {
  constructor(
    private readonly source: BenchDatabase,
    private readonly target: BenchDatabase,
    private readonly timeoutMs: number,
  ) {}

  /** Creates the publication and subscription; returns the seconds until the table is ready ('r'). */
  async timeInitialSync(): Promise<number> {
    await this.source.pool.query(`CREATE PUBLICATION ${NAME} FOR TABLE public.bench`);
    const started = performance.now();
    await this.target.pool.query(
      `CREATE SUBSCRIPTION ${NAME} CONNECTION '${this.connectionString()}' PUBLICATION ${NAME}`,
    );
    await pollUntil('the subscription to reach state r', () => this.whenTableReady(), this.timeoutMs);
    return secondsSince(started);
  }

  /** Stops applying; resolves once the subscription's walsender has let go of the slot. */
  async disable(): Promise<void> {
    await this.target.pool.query(`ALTER SUBSCRIPTION ${NAME} DISABLE`);
    await pollUntil('the subscription slot to go inactive', () => this.whenSlotActive(false), this.timeoutMs);
  }

  async enable(): Promise<void> {
    await this.target.pool.query(`ALTER SUBSCRIPTION ${NAME} ENABLE`);
  }

  private async whenTableReady(): Promise<true | undefined> {
    const { rows } = await this.target.pool.query<{ state: string }>(
      `SELECT r.srsubstate AS state
         FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
        WHERE s.subname = $1 AND r.srrelid = 'public.bench'::regclass`,
      [NAME],
    );
    return rows[0]?.state === 'r' ? true : undefined;
  }

  private async whenSlotActive(active: boolean): Promise<true | undefined> {
    const { rows } = await this.source.pool.query<{ active: boolean }>(
      'SELECT active FROM pg_replication_slots WHERE slot_name = $1',
      [NAME],
    );
    return rows[0]?.active === active ? true : undefined;
  }

  private connectionString(): string {
    const quote = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
    const conninfo = [
      'host=127.0.0.1',
      `port=${this.source.port}`,
      `user=${quote(this.source.user)}`,
      `password=${quote(this.source.password)}`,
      `dbname=${quote(this.source.name)}`,
    ].join(' ');
    return conninfo.replaceAll("'", "''");
  }
}
