import type { RedoLiteral, RedoStatement } from '../../../../plugins/oracle/logminer/redo-literal.js';
import { encodeUnistr } from '../../../../plugins/oracle/logminer/unistr.js';

/**
 * Renders a statement as LogMiner writes SQL_REDO (the inverse of `parseSqlRedo`), for round-trip
 * fuzzing and, later, the fake LogMiner. `unistrPieces` splits UNISTR values into that many
 * `||`-joined pieces. An update renders as SET `after`'s columns that differ from `before` (or were
 * unsupported there).
 */
export function renderSqlRedo(statement: RedoStatement, unistrPieces = 1): string {
  const name = `${quoteIdentifier(statement.schema)}.${quoteIdentifier(statement.table)}`;
  const value = (literal: RedoLiteral): string => renderLiteral(literal, unistrPieces);
  const where = (image: Readonly<Record<string, RedoLiteral>>): string => {
    const conditions = Object.entries(image).map(([column, literal]) =>
      literal.form === 'null'
        ? `${quoteIdentifier(column)} IS NULL`
        : `${quoteIdentifier(column)} = ${value(literal)}`,
    );
    return conditions.length === 0 ? '' : ` where ${conditions.join(' and ')}`;
  };
  switch (statement.op) {
    case 'insert': {
      const entries = Object.entries(statement.after ?? {});
      const columns = entries.map(([column]) => quoteIdentifier(column)).join(',');
      return `insert into ${name}(${columns}) values (${entries.map(([, literal]) => value(literal)).join(',')});`;
    }
    case 'update': {
      const before = statement.before ?? {};
      const set = Object.entries(statement.after ?? {})
        .filter(
          ([column, literal]) =>
            before[column]?.form === 'unsupported' ||
            JSON.stringify(before[column]) !== JSON.stringify(literal),
        )
        .map(([column, literal]) => `${quoteIdentifier(column)} = ${value(literal)}`);
      return `update ${name} set ${set.join(', ')}${where(before)};`;
    }
    case 'delete':
      return `delete from ${name}${where(statement.before ?? {})};`;
  }
}

export function renderLiteral(literal: RedoLiteral, unistrPieces = 1): string {
  switch (literal.form) {
    case 'null':
      return 'NULL';
    case 'unsupported':
      return 'Unsupported Type';
    case 'empty-clob':
      return 'EMPTY_CLOB()';
    case 'empty-blob':
      return 'EMPTY_BLOB()';
    case 'string':
      return quoteString(literal.text);
    case 'unistr':
      return splitEvenly(literal.text, unistrPieces)
        .map((piece) => `UNISTR(${quoteString(encodeUnistr(piece))})`)
        .join(' || ');
    case 'number':
    case 'float-special':
      return literal.text;
    case 'hex':
      return `HEXTORAW(${quoteString(literal.text)})`;
    case 'ds-interval':
      return `TO_DSINTERVAL(${quoteString(literal.text)})`;
    case 'ym-interval':
      return `TO_YMINTERVAL(${quoteString(literal.text)})`;
    case 'date':
    case 'timestamp':
    case 'timestamp-tz': {
      const name = { date: 'TO_DATE', timestamp: 'TO_TIMESTAMP', 'timestamp-tz': 'TO_TIMESTAMP_TZ' }[
        literal.form
      ];
      const mask = literal.mask === undefined ? '' : `, ${quoteString(literal.mask)}`;
      return `${name}(${quoteString(literal.text)}${mask})`;
    }
  }
}

/** Splits SQL_REDO into CSF pieces at the given cut points (as LogMiner splits at 4000 bytes). */
export function splitAt(text: string, cuts: readonly number[]): string[] {
  const points = [...new Set(cuts.filter((cut) => cut > 0 && cut < text.length))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const point of points) {
    pieces.push(text.slice(from, point));
    from = point;
  }
  pieces.push(text.slice(from));
  return pieces;
}

function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Splits text into up to `count` pieces without cutting a surrogate pair. */
function splitEvenly(text: string, count: number): string[] {
  const chars = Array.from(text);
  if (count <= 1 || chars.length <= 1) return [text];
  const size = Math.ceil(chars.length / count);
  const pieces: string[] = [];
  for (let at = 0; at < chars.length; at += size) pieces.push(chars.slice(at, at + size).join(''));
  return pieces;
}
