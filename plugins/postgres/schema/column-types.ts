import type { SourceColumn } from '../../../core/plugin/index.js';
import type { Sql } from '../client/sql.js';

/** A column's type with domains resolved to their base type. */
export interface ResolvedType {
  /** The base type's OID: the key of its value parser. */
  readonly baseOid: number;
  /** `lower(format_type(base, NULL))`: `integer`, `character varying`, `numeric`, `text[]`. */
  readonly name: string;
  /** A domain's own type modifier (`varchar(10)` domain), or -1. */
  readonly domainTypmod: number;
}

/**
 * Resolves type OIDs, following domains down to their base type (what the driver's row description
 * reports too, so snapshot and stream parse values alike).
 */
export async function resolveTypes(sql: Sql, oids: Iterable<number>): Promise<Map<number, ResolvedType>> {
  const wanted = [...new Set(oids)];
  if (wanted.length === 0) return new Map();
  const rows = await sql<{ start: string; base: string; typmod: number; name: string }>(
    `WITH RECURSIVE chain (start, oid, typmod, depth) AS (
       SELECT t.oid, t.oid, -1, 0 FROM pg_type t WHERE t.oid = ANY($1::oid[])
       UNION ALL
       SELECT c.start, t.typbasetype, CASE WHEN c.typmod = -1 THEN t.typtypmod ELSE c.typmod END, c.depth + 1
       FROM chain c JOIN pg_type t ON t.oid = c.oid
       WHERE t.typtype = 'd'
     )
     SELECT DISTINCT ON (start) start::text, oid::text AS base, typmod, lower(format_type(oid, NULL)) AS name
     FROM chain ORDER BY start, depth DESC`,
    [wanted],
  );
  return new Map(
    rows.map((row) => [
      Number(row.start),
      { baseOid: Number(row.base), name: row.name, domainTypmod: row.typmod },
    ]),
  );
}

type Sizes = Pick<SourceColumn, 'length' | 'precision' | 'scale'>;

const CHARACTER = new Set(['character', 'character varying', 'bpchar', 'varchar']);
const BIT = new Set(['bit', 'bit varying', 'varbit']);
const TIME = /^(time|timetz|timestamp|timestamptz)( with(out)? time zone)?$/;
const VARHDRSZ = 4;

/**
 * A type's size from its modifier (`atttypmod`, or a Relation message's), as SourceColumn carries
 * it: characters and bits in `length`; numeric in `precision`/`scale`; the fractional-second
 * precision of time, timestamp and interval in `precision`. For arrays, the element's size.
 * Absent sizes are null.
 */
export function typeSizes(typeName: string, typmod: number): Sizes {
  const element = typeName.endsWith('[]') ? typeName.slice(0, -2) : typeName;
  const none: Sizes = { length: null, precision: null, scale: null };
  if (typmod < 0) return none;
  if (CHARACTER.has(element)) return { ...none, length: typmod - VARHDRSZ };
  if (BIT.has(element)) return { ...none, length: typmod };
  if (element === 'numeric') {
    const packed = typmod - VARHDRSZ;
    return { ...none, precision: (packed >> 16) & 0xffff, scale: ((packed & 0x7ff) ^ 1024) - 1024 };
  }
  if (TIME.test(element)) return { ...none, precision: typmod };
  if (element === 'interval') {
    const precision = typmod & 0xffff;
    return { ...none, precision: precision === 0xffff ? null : precision };
  }
  return none;
}
