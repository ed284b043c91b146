import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import { redactArguments } from './redact-arguments.js';

/** One API mutation as the audit trail keeps it. */
export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  /** The caller's role: viewer, operator or admin. */
  readonly role: string;
  /** The token's id (`viewer#2`), never the token; null when the server needs no token. */
  readonly tokenId: string | null;
  readonly mutation: string;
  /** The connector the mutation names, if any. */
  readonly connector: string | null;
  /** The arguments, secrets replaced by `***`. */
  readonly arguments: unknown;
  /** `ok`, or the error code it failed with (`FORBIDDEN`, `INVALID_INPUT`, ...). */
  readonly outcome: string;
}

export type NewAuditEntry = Omit<AuditEntry, 'id' | 'at'>;

/** The most entries one read returns. */
export const MAX_AUDIT_ENTRIES = 1_000;

/**
 * The audit trail in `tributary.audit_log`: every mutation, allowed or refused, appended once it
 * has an outcome. Arguments are redacted here, before anything is stored. Entries are never
 * changed; reading them is for admins (the API checks).
 */
@injectable()
export class AuditLog {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  async record(entry: NewAuditEntry): Promise<void> {
    await this.db.query(
      `INSERT INTO tributary.audit_log (role, token_id, mutation, connector, arguments, outcome)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [
        entry.role,
        entry.tokenId,
        entry.mutation,
        entry.connector,
        JSON.stringify(redactArguments(entry.arguments)),
        entry.outcome,
      ],
    );
  }

  /** The newest entries first, at most `limit` (capped at MAX_AUDIT_ENTRIES), of one connector or all. */
  async recent(limit: number, connector: string | null): Promise<AuditEntry[]> {
    const { rows } = await this.db.query<AuditEntry>(
      `SELECT id::text, at, role, token_id AS "tokenId", mutation, connector, arguments, outcome
         FROM tributary.audit_log
        WHERE $2::text IS NULL OR connector = $2
        ORDER BY audit_log.id DESC LIMIT $1`,
      [Math.max(0, Math.min(limit, MAX_AUDIT_ENTRIES)), connector],
    );
    return rows;
  }
}
