/**
 * One value as LogMiner wrote it in SQL_REDO, tagged by its form and kept as exact text (never
 * through a JS number or Date); `redo-value-converter.ts` turns it into a destination value once
 * the column's Oracle type is known.
 * - `string`: a quoted literal, `''` pairs already undone (`''` alone is `{ text: '' }`).
 * - `unistr`: `UNISTR('\00e9')` pieces (maybe joined with `||`, maybe with quoted strings), decoded.
 * - `number`: an unquoted number (`12.5`, `-1E+20`, `1.5E+000`), exactly as written.
 * - `float-special`: `BINARY_DOUBLE_NAN`, `BINARY_FLOAT_INFINITY`, `-BINARY_DOUBLE_INFINITY`, as written.
 * - `date` / `timestamp` / `timestamp-tz`: the first argument of `TO_DATE` / `TO_TIMESTAMP` /
 *   `TO_TIMESTAMP_TZ`, with the format mask when LogMiner wrote one.
 * - `hex`: the argument of `HEXTORAW`.
 * - `ds-interval` / `ym-interval`: the argument of `TO_DSINTERVAL` / `TO_YMINTERVAL`.
 * - `empty-clob` / `empty-blob`: `EMPTY_CLOB()` / `EMPTY_BLOB()`.
 * - `null`: `NULL` (or `IS NULL` in a WHERE clause).
 * - `unsupported`: `Unsupported Type`: LogMiner could not render the value.
 */
export type RedoLiteral =
  | { readonly form: 'null' }
  | { readonly form: 'unsupported' }
  | { readonly form: 'empty-clob' }
  | { readonly form: 'empty-blob' }
  | { readonly form: 'string' | 'unistr' | 'number' | 'float-special' | 'hex'; readonly text: string }
  | { readonly form: 'ds-interval' | 'ym-interval'; readonly text: string }
  | { readonly form: 'date' | 'timestamp' | 'timestamp-tz'; readonly text: string; readonly mask?: string };

/** A row image: column name (as the source spells it) → literal. */
export type RedoImage = Readonly<Record<string, RedoLiteral>>;

/**
 * One parsed SQL_REDO statement.
 * - insert: `after` is the inserted row; no `before`.
 * - update: `before` is the WHERE clause's old values (a `ROWID = …` condition left out); `after`
 *   is `before` overlaid with the SET values, leaving out old values that were `unsupported`
 *   (those columns are unchanged, not known).
 * - delete: `before` is the WHERE clause's old values; no `after`.
 */
export interface RedoStatement {
  readonly op: 'insert' | 'update' | 'delete';
  readonly schema: string;
  readonly table: string;
  readonly before?: RedoImage;
  readonly after?: RedoImage;
}
