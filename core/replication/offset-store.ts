import type pg from 'pg';
import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';

const COMMIT_SQL = `INSERT INTO tributary.offsets (connector, "offset", start_offset) VALUES ($1, $2, $2)
  ON CONFLICT (connector) DO UPDATE SET "offset" = $2, updated_at = now()`;

/**
 * The one home of a connector's offset row (`tributary.offsets`): every write of it goes through
 * here. `offset` is the last committed checkpoint, the stream resumes after it; `start_offset` is
 * where the stream starts before the first checkpoint commits.
 */
@injectable()
export class OffsetStore {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  /** Commits `offset` inside the caller's transaction, together with the rows applied up to it. */
  async commitIn(client: pg.ClientBase, connector: string, offset: string): Promise<void> {
    await client.query(COMMIT_SQL, [connector, offset]);
  }

  /** Commits `offset` on its own (the user's setOffset): the stream resumes after it. */
  async commit(connector: string, offset: string): Promise<void> {
    await this.db.query(COMMIT_SQL, [connector, offset]);
  }

  /** Records where the stream starts, once: a later capture session never moves it back. */
  async recordStart(connector: string, offset: string): Promise<void> {
    await this.db.query(
      `INSERT INTO tributary.offsets (connector, start_offset) VALUES ($1, $2)
       ON CONFLICT (connector) DO UPDATE SET start_offset = coalesce(tributary.offsets.start_offset, EXCLUDED.start_offset)`,
      [connector, offset],
    );
  }

  /** Forgets the offsets inside the caller's transaction (history lost, capture reset). */
  async forgetIn(client: pg.ClientBase, connector: string): Promise<void> {
    await client.query('DELETE FROM tributary.offsets WHERE connector = $1', [connector]);
  }
}
