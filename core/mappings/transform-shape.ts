import { parse, scanSync } from 'libpg-query';
import { InvalidInputError } from '../errors.js';
import { substituteValue } from '../target/transform-expression.js';

/** The end of every refusal: what a transform may be made of. */
export const TRANSFORM_ALLOWED =
  'a transform may use the value %d, literals, operators, casts, CASE, COALESCE, NULLIF, GREATEST, LEAST and immutable functions';

/** A function a transform calls, as written: to be judged by the target database. */
export interface TransformCall {
  /** The schema it was qualified with, or null for the search path's. */
  readonly schema: string | null;
  readonly name: string;
  /** The call as written (`round(%d::numeric, 2)`), for messages. */
  readonly text: string;
  /** Where the call starts and ends in `checkedSql` (SQL of the same length as the expression's). */
  readonly start: number;
  readonly end: number;
}

/** An expression that passed the parser check. */
export interface TransformShape {
  readonly calls: readonly TransformCall[];
}

/** Placeholders of the same length as `%d`'s `(…)` and `'%d'`'s `(…)`, so positions line up. */
const TYPED = '$1';
const TEXT = '$2';
/** What the expression is wrapped in before it is parsed. */
const PREFIX = 'SELECT (';

/**
 * Node types a transform may contain. Everything else — subqueries (SubLink), column and table
 * references (ColumnRef), `CURRENT_DATE`-style functions (SQLValueFunction), row constructors,
 * parameters other than the value — is refused by name.
 */
const ALLOWED_NODES = new Set([
  'A_Const',
  'A_Expr',
  'A_ArrayExpr',
  'A_Indirection',
  'A_Indices',
  'BoolExpr',
  'BooleanTest',
  'CaseExpr',
  'CaseWhen',
  'CoalesceExpr',
  'CollateClause',
  'FuncCall',
  'List',
  'MinMaxExpr',
  'NullTest',
  'ParamRef',
  'String',
  'TypeCast',
]);

const NODE_NAMES: Record<string, string> = {
  SubLink: 'subquery',
  ColumnRef: 'column reference',
  SQLValueFunction: 'function',
  RowExpr: 'row constructor',
  GroupingFunc: 'GROUPING',
  SetToDefault: 'DEFAULT',
  XmlExpr: 'XML expression',
  JsonObjectConstructor: 'JSON constructor',
  JsonArrayConstructor: 'JSON constructor',
  JsonArrayQueryConstructor: 'JSON subquery',
  MergeSupportFunc: 'MERGE_ACTION()',
};

/**
 * Parses a TRANSFORM expression with PostgreSQL's own parser (libpg_query) exactly as it will be
 * spliced into apply statements (`%d`, `'%d'` and `%%` substituted), and checks that it is one
 * expression made only of the value, literals, operators, casts, CASE/COALESCE/NULLIF/GREATEST/
 * LEAST, boolean operators, NULL tests and function calls. Throws InvalidInputError naming the
 * first refused part. Whether each function (and operator and cast) is IMMUTABLE is for the
 * target database to say: see TransformGuard.
 */
export async function checkTransformShape(expression: string): Promise<TransformShape> {
  const sql = `${PREFIX}${substituteValue(expression, TYPED, TEXT)})`;
  let written: { text: string } | undefined;
  let result: Awaited<ReturnType<typeof parse>>;
  try {
    result = await parse(sql);
    // the scanner throws (a JSON error) on what it cannot tokenise, e.g. an unterminated quote
    written = scanSync(expression).tokens.find((token) => token.tokenName === 'PARAM');
  } catch (error) {
    throw new InvalidInputError(
      `TRANSFORM expression ${JSON.stringify(expression)} is not valid SQL: ${(error as Error).message}; write a PostgreSQL expression where %d is the value, e.g. %d + 1000 or '>>' || %d`,
    );
  }
  if (written) refuse(`parameter "${written.text}"`);
  const statements = result.stmts ?? [];
  if (statements.length !== 1) refuse(`a second statement in ${JSON.stringify(expression)}`);
  const select = (statements[0]?.stmt as Record<string, unknown> | undefined)?.SelectStmt as
    | Record<string, unknown>
    | undefined;
  const targets = select?.targetList as unknown[] | undefined;
  const extra = Object.keys(select ?? {}).filter((key) => !['targetList', 'limitOption', 'op'].includes(key));
  if (!select || targets?.length !== 1 || extra.length > 0)
    throw new InvalidInputError(
      `transform refused: ${JSON.stringify(expression)} is not a single expression; ${TRANSFORM_ALLOWED}`,
    );
  const target = (targets?.[0] as { ResTarget?: { val?: unknown } } | undefined)?.ResTarget;
  const calls: TransformCall[] = [];
  walk(target?.val, sql, calls);
  return { calls };
}

/** The SQL the expression is checked as at the target: `%d` as `(v )`, `'%d'` as `(t )`. */
export function checkedSql(expression: string): string {
  return substituteValue(expression, 'v ', 't ');
}

function walk(value: unknown, sql: string, calls: TransformCall[]): void {
  if (Array.isArray(value)) {
    for (const item of value) walk(item, sql, calls);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, body] of Object.entries(value)) {
    if (/^[A-Z]/.test(key)) checkNode(key, body as Record<string, unknown>, sql, calls);
    else walk(body, sql, calls);
  }
}

function checkNode(type: string, body: Record<string, unknown>, sql: string, calls: TransformCall[]): void {
  const at = typeof body.location === 'number' ? body.location : -1;
  if (!ALLOWED_NODES.has(type)) refuse(`${NODE_NAMES[type] ?? 'construct'} ${quoted(sql, at)}`);
  if (type === 'ParamRef' && !(body.number === 1 || body.number === 2))
    refuse(`parameter ${quoted(sql, at)}`);
  if (type === 'TypeCast') checkType(body.typeName as { names?: unknown[] } | undefined);
  if (type === 'FuncCall') calls.push(callOf(body, sql, at));
  walk(body, sql, calls);
}

/** Casts to `reg*` types look names up in the catalog (`'pg_authid'::regclass`). */
function checkType(typeName: { names?: unknown[] } | undefined): void {
  const names = (typeName?.names ?? []).map((name) => (name as { String?: { sval?: string } }).String?.sval);
  const last = names[names.length - 1] ?? '';
  if (/^reg/.test(last)) refuse(`a cast to ${last} (it reads the catalog)`);
}

function callOf(body: Record<string, unknown>, sql: string, at: number): TransformCall {
  const names = (body.funcname as unknown[]).map(
    (name) => (name as { String?: { sval?: string } }).String?.sval ?? '',
  );
  const text = quoted(sql, at);
  for (const clause of ['agg_order', 'agg_filter', 'over', 'agg_star', 'agg_distinct', 'agg_within_group'])
    if (body[clause]) refuse(`aggregate or window call ${text}`);
  const end = spanEnd(sql, at);
  return {
    schema: names.length > 1 ? (names[names.length - 2] ?? null) : null,
    name: names[names.length - 1] ?? '',
    text: text.slice(1, -1),
    start: at - PREFIX.length,
    end: end - PREFIX.length,
  };
}

/**
 * Where the construct starting at `start` ends: after its parenthesised group when one opens
 * before anything else (a call, a subquery), else after its name (dotted names included).
 */
function spanEnd(sql: string, start: number): number {
  const tokens = scanSync(sql.slice(start)).tokens;
  let at = 0;
  if (tokens[0]?.text !== '(') {
    while (tokens[at + 1]?.text === '.' && tokens[at + 2]) at += 2;
    if (tokens[at + 1]?.text !== '(') return start + (tokens[at]?.end ?? 0);
    at++;
  }
  for (let depth = 0; at < tokens.length; at++) {
    const text = tokens[at]?.text;
    if (text === '(') depth++;
    else if (text === ')' && --depth === 0) break;
  }
  return start + (tokens[Math.min(at, tokens.length - 1)]?.end ?? 0);
}

/** The construct at `location` as the user wrote it, shortened, in double quotes. */
function quoted(sql: string, location: number): string {
  if (location < 0) return '';
  // the parenthesis PREFIX opens is not the user's
  const start = Math.max(location, PREFIX.length);
  const text = sql
    .slice(start, spanEnd(sql, start))
    .replaceAll(`(${TEXT})`, "'%d'")
    .replaceAll(`(${TYPED})`, '%d');
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}…` : text);
}

function refuse(part: string): never {
  throw new InvalidInputError(`transform refused: ${part} is not allowed; ${TRANSFORM_ALLOWED}`);
}
