import { inject, injectable } from 'tsyringe';
import { InvalidInputError } from '../errors.js';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';

/** One bad event a SKIP connector set aside in `tributary.dead_letters`. */
export interface DeadLetter {
  /** Increasing in insertion order. */
  readonly id: string;
  readonly sourceTable: string | null;
  readonly offset: string | null;
  readonly event: unknown;
  readonly error: string;
  readonly createdAt: Date;
}

/** Bounds of one `deadLetters` page. */
export const DEAD_LETTER_PAGE = { maxLimit: 1000, defaultLimit: 100 } as const;

interface DeadLetterRow {
  id: string;
  source_table: string | null;
  offset: string | null;
  event: unknown;
  error: string;
  created_at: Date;
}

/** Reads `tributary.dead_letters` (written by the engine in `bad-events.ts`). */
@injectable()
export class DeadLetterStore {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  /**
   * A page of the connector's dead letters, newest first (highest id first). Throws INVALID_INPUT
   * when `limit` is outside 1..1000 or `offset` is negative.
   */
  async page(connector: string, limit: number, offset: number): Promise<DeadLetter[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > DEAD_LETTER_PAGE.maxLimit) {
      throw new InvalidInputError(`limit must be between 1 and ${DEAD_LETTER_PAGE.maxLimit}, not ${limit}`);
    }
    if (!Number.isInteger(offset) || offset < 0) {
      throw new InvalidInputError(`offset must be 0 or more, not ${offset}`);
    }
    const { rows } = await this.db.query<DeadLetterRow>(
      `SELECT id::text AS id, source_table, "offset", event, error, created_at FROM tributary.dead_letters
       WHERE connector = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
      [connector, limit, offset],
    );
    return rows.map((row) => ({
      id: row.id,
      sourceTable: row.source_table,
      offset: row.offset,
      event: row.event,
      error: row.error,
      createdAt: row.created_at,
    }));
  }
}
