import { inject, injectable } from 'tsyringe';
import { InvalidInputError, NotFoundError } from '../errors.js';
import { ownerOf } from '../target/table-ownership.js';
import type { TargetDatabase } from '../target/target-database.js';
import { substituteValue } from '../target/transform-expression.js';
import { TARGET_DATABASE } from '../tokens.js';
import type { MappingKind, MappingRule, ReplicatedColumn } from './mapping-rule.js';
import { destinationProblem, destinationType, parseTableDestination } from './mapping-rules.js';
import { checkTransform, checkTyped } from './transform-guard.js';
import { type KnownColumn, unmatchedReason } from './unmatched-rules.js';

const RULE_COLUMNS = 'kind, source, destination, enabled';

/** A connector's mapping rules (stored, validated) and its replicated-column view. */
@injectable()
export class MappingStore {
  constructor(@inject(TARGET_DATABASE) private readonly db: TargetDatabase) {}

  /**
   * The connector's rules, each marked `matched` against the columns it replicates (see
   * `tributary.attributes`); `matched` is null while it has replicated nothing.
   */
  async rules(connector: string): Promise<MappingRule[]> {
    const { rows } = await this.db.query<MappingRule>(
      `SELECT kind, source, destination, enabled FROM tributary.mapping_rules
        WHERE connector = $1 ORDER BY kind, source`,
      [connector],
    );
    const known = await this.replicated(connector);
    return rows.map((rule) => {
      if (!known) return { ...rule, matched: null, unmatchedReason: null };
      const reason = unmatchedReason(rule, known.columns, known.database);
      return { ...rule, matched: reason === null, unmatchedReason: reason };
    });
  }

  /** The columns the connector replicates, or null when it has replicated nothing yet. */
  private async replicated(connector: string): Promise<{ columns: KnownColumn[]; database: string } | null> {
    const { rows } = await this.db.query<KnownColumn & { database: string }>(
      `SELECT a.source_table AS table, a.source_column AS column, a.source_type AS type, c.database
         FROM tributary.attributes a JOIN tributary.connectors c ON c.name = a.connector
        WHERE a.connector = $1 AND NOT a.dropped`,
      [connector],
    );
    const [first] = rows;
    return first ? { columns: rows, database: first.database } : null;
  }

  /**
   * Adds a rule, or replaces the destination of the rule with the same kind and source (enabling
   * it again). Refuses, storing nothing: an unknown connector (NOT_FOUND), an empty source or a
   * malformed destination, a DATATYPE destination PostgreSQL does not know, a TRANSFORM expression
   * that is not a pure expression of the value, a TABLE destination another connector owns, a
   * source that names no replicated table or column (or, for a type-wide DATATYPE rule, a type no
   * replicated column has) once the connector has replicated tables (INVALID_INPUT). Rules take
   * effect when the connector starts, and on a running connector with `reloadObjectMappings`.
   */
  async add(connector: string, kind: MappingKind, source: string, destination: string): Promise<MappingRule> {
    await this.requireConnector(connector);
    if (source.trim().length === 0)
      throw new InvalidInputError('source must name a source table, column or type');
    const problem = destinationProblem(kind, source, destination);
    if (problem) throw new InvalidInputError(problem);
    const known = await this.replicated(connector);
    const unmatched = known && unmatchedReason({ kind, source }, known.columns, known.database);
    if (unmatched) {
      const tables = [...new Set(known.columns.map((column) => column.table))].sort();
      throw new InvalidInputError(
        `the ${kind} rule for ${JSON.stringify(source.trim())} would match nothing: ${unmatched}; connector "${connector}" replicates ${tables.join(', ')} (write a table as schema.table or database.schema.table, a column as <table>.column)`,
      );
    }
    if (kind === 'datatype') await this.requireType(destinationType(destination));
    if (kind === 'transform') await this.requirePureExpression(connector, source, destination.trim());
    if (kind === 'table') await this.requireUnowned(connector, source, destination.trim());
    const { rows } = await this.db
      .query<MappingRule>(
        `INSERT INTO tributary.mapping_rules (connector, kind, source, destination) VALUES ($1, $2, $3, $4)
         ON CONFLICT (connector, kind, source)
         DO UPDATE SET destination = excluded.destination, enabled = true, updated_at = now()
         RETURNING ${RULE_COLUMNS}`,
        [connector, kind, source.trim(), destination.trim()],
      )
      .catch((error: unknown) => {
        // foreign_key_violation: the connector was deleted since requireConnector looked
        if ((error as { code?: unknown }).code === '23503')
          throw new NotFoundError(`connector "${connector}" does not exist`);
        throw error;
      });
    return { ...(rows[0] as MappingRule), matched: known ? true : null, unmatchedReason: null };
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
              (SELECT r.destination FROM tributary.mapping_rules r
                WHERE r.connector = a.connector AND r.kind = 'transform' AND r.enabled
                  AND r.source IN (a.source_table || '.' || a.source_column,
                                   c.database || '.' || a.source_table || '.' || a.source_column)
                ORDER BY r.updated_at DESC LIMIT 1) AS transform
         FROM tributary.attributes a
         JOIN tributary.connectors c ON c.name = a.connector
         LEFT JOIN pg_attribute pa
           ON pa.attrelid = to_regclass(format('%I.%I', a.destination_schema, a.destination_table))
          AND pa.attname = a.destination_column AND NOT pa.attisdropped AND NOT a.dropped
        WHERE a.connector = $1
        ORDER BY a.source_table, a.position`,
      [connector],
    );
    return rows;
  }

  /**
   * A TRANSFORM is confined to a pure expression of the value (transform-guard.ts): judged by its
   * shape and functions, and exactly, over the column's type, when the column already exists.
   */
  private async requirePureExpression(connector: string, source: string, expression: string): Promise<void> {
    await checkTransform(this.db, expression);
    await this.requireExpression(expression);
    const { rows } = await this.db.query<{ type: string }>(
      `SELECT format_type(pa.atttypid, pa.atttypmod) AS type
         FROM tributary.attributes a
         JOIN pg_attribute pa
           ON pa.attrelid = to_regclass(format('%I.%I', a.destination_schema, a.destination_table))
          AND pa.attname = a.destination_column AND NOT pa.attisdropped
        WHERE a.connector = $1 AND NOT a.dropped AND a.source_table || '.' || a.source_column = $2`,
      [connector, source],
    );
    const type = rows[0]?.type;
    if (type) await checkTyped(this.db, expression, type);
  }

  private async requireConnector(connector: string): Promise<void> {
    const { rowCount } = await this.db.query('SELECT 1 FROM tributary.connectors WHERE name = $1', [
      connector,
    ]);
    if (!rowCount) throw new NotFoundError(`connector "${connector}" does not exist`);
  }

  /**
   * Has PostgreSQL parse and plan the expression over a NULL value, as one statement, in a
   * read-only transaction that is rolled back, without evaluating it (LIMIT 0).
   */
  private async requireExpression(expression: string): Promise<void> {
    // a parameter makes it one statement (extended protocol), as it is when applied
    const sql = `SELECT (${substituteValue(expression, 'NULL', '$1::text')}) WHERE $1::text IS NULL LIMIT 0`;
    const client = await this.db.pool.connect();
    try {
      await client.query("BEGIN READ ONLY; SET LOCAL statement_timeout = '5s'");
      await client.query(sql, [null]);
    } catch (error) {
      throw new InvalidInputError(
        `TRANSFORM expression ${JSON.stringify(expression)} is not valid SQL: ${(error as Error).message}; write a PostgreSQL expression where %d is the value, e.g. %d + 1000 or '>>' || %d`,
      );
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
  }

  /** A TABLE rule may not move a table onto one another connector owns. */
  private async requireUnowned(connector: string, source: string, destination: string): Promise<void> {
    const { schema, name } = parseTableDestination(destination);
    const owner = await ownerOf(this.db, schema, name);
    if (owner && owner.connector !== connector) {
      throw new InvalidInputError(
        `destination table ${schema}.${name} belongs to connector "${owner.connector}" (from its ${owner.sourceTable}); ` +
          `a destination table belongs to one connector: choose another destination for ${source}, e.g. ${connector.toLowerCase()}_${schema}.${name}`,
      );
    }
  }

  private async requireType(type: string): Promise<void> {
    const { rows } = await this.db
      .query<{ known: boolean }>('SELECT to_regtype($1) IS NOT NULL AS known', [type])
      .catch(() => ({ rows: [{ known: false }] }));
    if (!rows[0]?.known)
      throw new InvalidInputError(`PostgreSQL does not know the type ${JSON.stringify(type)}`);
  }
}
