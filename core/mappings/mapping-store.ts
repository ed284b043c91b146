import { inject, injectable } from 'tsyringe';
import type { TargetDatabase } from '../target/target-database.js';
import { TARGET_DATABASE } from '../tokens.js';
import type { MappingRule, ReplicatedColumn } from './mapping-rule.js';

/** Reads a connector's mapping rules and its replicated-column view. */
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
}
