import { inject, injectable } from 'tsyringe';
import { InvalidInputError, NotFoundError, UnsupportedError } from '../errors.js';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import type { MappingKind, MappingRule, ReplicatedColumn } from './mapping-rule.js';
import { destinationProblem, destinationType } from './mapping-rules.js';

const RULE_COLUMNS = 'kind, source, destination, enabled';

/** A connector's mapping rules (stored, validated) and its replicated-column view. */
@injectable()
export class MappingStore {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  async rules(connector: string): Promise<MappingRule[]> {
    const { rows } = await this.db.query<MappingRule>(
      `SELECT kind, source, destination, enabled FROM tributary.mapping_rules
        WHERE connector = $1 ORDER BY kind, source`,
      [connector],
    );
    return rows;
  }

  /**
   * Adds a rule, or replaces the destination of the rule with the same kind and source (enabling
   * it again). Refuses, storing nothing: an unknown connector (NOT_FOUND), an empty source or a
   * malformed destination, a DATATYPE destination PostgreSQL does not know (INVALID_INPUT).
   * Rules take effect when the connector starts.
   */
  async add(connector: string, kind: MappingKind, source: string, destination: string): Promise<MappingRule> {
    await this.requireConnector(connector);
    if (kind === 'transform')
      throw new UnsupportedError('TRANSFORM rules are not applied yet; TABLE, COLUMN and DATATYPE rules are');
    if (source.trim().length === 0)
      throw new InvalidInputError('source must name a source table, column or type');
    const problem = destinationProblem(kind, destination);
    if (problem) throw new InvalidInputError(problem);
    if (kind === 'datatype') await this.requireType(destinationType(destination));
    const { rows } = await this.db.query<MappingRule>(
      `INSERT INTO tributary.mapping_rules (connector, kind, source, destination) VALUES ($1, $2, $3, $4)
       ON CONFLICT (connector, kind, source)
       DO UPDATE SET destination = excluded.destination, enabled = true, updated_at = now()
       RETURNING ${RULE_COLUMNS}`,
      [connector, kind, source, destination.trim()],
    );
    return rows[0] as MappingRule;
  }

  /**
   * Disables a rule, found by its source as written or, failing that, by the only source that
   * differs from it in letter case alone (Oracle's upper-case names). NOT_FOUND when none is.
   */
  async disable(connector: string, kind: MappingKind, source: string): Promise<MappingRule> {
    await this.requireConnector(connector);
    const { rows } = await this.db.query<MappingRule>(
      `UPDATE tributary.mapping_rules SET enabled = false, updated_at = now()
        WHERE connector = $1 AND kind = $2
          AND source = coalesce(
            (SELECT source FROM tributary.mapping_rules WHERE connector = $1 AND kind = $2 AND source = $3),
            (SELECT min(source) FROM tributary.mapping_rules WHERE connector = $1 AND kind = $2
               AND lower(source) = lower($3) HAVING count(*) = 1))
        RETURNING ${RULE_COLUMNS}`,
      [connector, kind, source],
    );
    const [rule] = rows;
    if (!rule)
      throw new NotFoundError(`connector "${connector}" has no ${kind} rule for ${JSON.stringify(source)}`);
    return rule;
  }

  /** The att_view: destination types read live from the catalog, transforms from enabled rules. */
  async attributes(connector: string): Promise<ReplicatedColumn[]> {
    const { rows } = await this.db.query<ReplicatedColumn>(
      `SELECT a.source_table AS "sourceTable",
              a.destination_schema || '.' || a.destination_table AS "destinationTable",
              a.position, a.source_column AS "sourceColumn", a.destination_column AS "destinationColumn",
              a.source_type AS "sourceType",
              coalesce(format_type(pa.atttypid, pa.atttypmod), '........pg.dropped.' || a.position || '........')
                AS "destinationType",
              r.destination AS transform
         FROM tributary.attributes a
         LEFT JOIN pg_attribute pa
           ON pa.attrelid = to_regclass(format('%I.%I', a.destination_schema, a.destination_table))
          AND pa.attname = a.destination_column AND NOT pa.attisdropped AND NOT a.dropped
         LEFT JOIN tributary.mapping_rules r
           ON r.connector = a.connector AND r.kind = 'transform' AND r.enabled
          AND r.source = a.source_table || '.' || a.source_column
        WHERE a.connector = $1
        ORDER BY a.source_table, a.position`,
      [connector],
    );
    return rows;
  }

  private async requireConnector(connector: string): Promise<void> {
    const { rowCount } = await this.db.query('SELECT 1 FROM tributary.connectors WHERE name = $1', [
      connector,
    ]);
    if (!rowCount) throw new NotFoundError(`connector "${connector}" does not exist`);
  }

  private async requireType(type: string): Promise<void> {
    const { rows } = await this.db
      .query<{ known: boolean }>('SELECT to_regtype($1) IS NOT NULL AS known', [type])
      .catch(() => ({ rows: [{ known: false }] }));
    if (!rows[0]?.known)
      throw new InvalidInputError(`PostgreSQL does not know the type ${JSON.stringify(type)}`);
  }
}
