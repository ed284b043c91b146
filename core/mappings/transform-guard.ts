import { InvalidInputError } from '../errors.js';
import { castType } from '../target/change-statements.js';
import type { TargetDatabase } from '../target/target-database.js';
import type { TargetTable } from '../target/target-table.js';
import type { MappingRule } from './mapping-rule.js';
import { checkedSql, checkTransformShape, TRANSFORM_ALLOWED, type TransformCall } from './transform-shape.js';

type Queryable = Pick<TargetDatabase, 'query'>;

interface Candidate {
  kind: string;
  volatility: string;
  set: boolean;
}

const VOLATILITY: Record<string, string> = { v: 'volatile', s: 'stable', i: 'immutable' };
const KINDS: Record<string, string> = { a: 'aggregate', w: 'window function', p: 'procedure' };

/**
 * Confines a TRANSFORM expression to a pure function of the value, in two steps:
 *
 * 1. its shape, by PostgreSQL's own parser (checkTransformShape): no subquery, no column or
 *    table, no parameter, one expression;
 * 2. its functions, by the target database: each function called must have an overload that
 *    `pg_proc` marks IMMUTABLE, not set-returning, a plain function (by name and schema, or the
 *    search path). Without the column's type the overload cannot be known yet, so this is a
 *    necessary condition; `checkTyped` then decides exactly.
 *
 * Throws InvalidInputError naming the refused part. Reads the catalog only; evaluates nothing.
 */
export async function checkTransform(db: Queryable, expression: string): Promise<readonly TransformCall[]> {
  const { calls } = await checkTransformShape(expression);
  for (const call of calls) {
    const candidates = await candidatesOf(db, call);
    // an unknown function is left to the planner, whose message names it
    if (candidates.length === 0) continue;
    const pure = candidates.some((c) => c.kind === 'f' && c.volatility === 'i' && !c.set);
    if (!pure) refuse(`${describe(candidates)} ${JSON.stringify(call.text)}`);
  }
  return calls;
}

/**
 * The exact check, once the value's type is known: PostgreSQL itself resolves every overload,
 * operator and cast in the expression over a `type` value, and judges it as it judges an index
 * expression (CREATE INDEX on a temporary table, rolled back): any function, operator or cast
 * that is not IMMUTABLE, any subquery, any set-returning function is refused. The expression is
 * not evaluated on any value (the table is empty). Other errors (a type mismatch) are left to
 * the apply, which reports them against the rule as before.
 */
export async function checkTyped(db: TargetDatabase, expression: string, type: string): Promise<void> {
  const calls = await checkTransform(db, expression);
  const sql = checkedSql(expression);
  const problem = await indexProblem(db, sql, type);
  if (!problem) return;
  for (const call of calls) {
    if (await indexProblem(db, sql.slice(call.start, call.end), type))
      refuse(`function call ${JSON.stringify(call.text)}, not immutable for a ${type} value,`);
  }
  refuse(
    `${JSON.stringify(expression)} (${problem} for a ${type} value: an operator or cast in it is not immutable)`,
  );
}

/**
 * Checks, before a connector runs, every enabled TRANSFORM rule it has (so rules stored before
 * this check existed are refused rather than run) and, for the tables it replicates, each
 * transform against its column's type.
 */
export async function confineTransforms(
  db: TargetDatabase,
  rules: readonly MappingRule[],
  targets: Iterable<TargetTable>,
): Promise<void> {
  const checked = new Set<string>();
  for (const table of targets) {
    for (const column of table.columns) {
      if (!column.transform) continue;
      await within(`${table.sourceName}.${column.source}`, () =>
        checkTyped(db, column.transform as string, castType(column)),
      );
      checked.add(`${table.sourceName}.${column.source}`);
    }
  }
  for (const rule of rules) {
    if (rule.kind !== 'transform' || !rule.enabled || checked.has(rule.source)) continue;
    await within(rule.source, () => checkTransform(db, rule.destination));
  }
}

async function within(source: string, check: () => Promise<unknown>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    throw new InvalidInputError(
      `TRANSFORM rule ${source}: ${error.message}; disable or change the rule, then start again`,
    );
  }
}

async function candidatesOf(db: Queryable, call: TransformCall): Promise<Candidate[]> {
  const { rows } = await db.query<Candidate>(
    `SELECT p.prokind AS kind, p.provolatile AS volatility, p.proretset AS set
       FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE p.proname = $1
        AND CASE WHEN $2::text IS NULL THEN pg_catalog.pg_function_is_visible(p.oid) ELSE n.nspname = $2 END`,
    [call.name, call.schema],
  );
  return rows;
}

/** What the candidates are, in the words of the refusal: `volatile function`, `set-returning function`. */
function describe(candidates: readonly Candidate[]): string {
  const kind = candidates.find((c) => c.kind !== 'f')?.kind;
  if (kind && candidates.every((c) => c.kind === kind)) return KINDS[kind] ?? 'routine';
  if (candidates.every((c) => c.set)) return 'set-returning function';
  const mutable = candidates.find((c) => c.volatility !== 'i');
  return `${VOLATILITY[mutable?.volatility ?? 'v'] ?? 'volatile'} function`;
}

/** PostgreSQL's reason for refusing `sql` as an index expression over a `type` value, or null. */
async function indexProblem(db: TargetDatabase, sql: string, type: string): Promise<string | null> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN; SET LOCAL statement_timeout = '5s'");
    await client.query(`CREATE TEMPORARY TABLE tributary_transform_check (v ${type}, t text) ON COMMIT DROP`);
    await client.query(`CREATE INDEX ON pg_temp.tributary_transform_check ((${sql}))`);
    return null;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    // 42P17: not immutable; 0A000: subquery or set-returning function; 42501: no TEMPORARY privilege
    if (code === '42P17' || code === '0A000') return message;
    if (code === '42501')
      return `cannot be checked: ${message} (the target user needs the TEMPORARY privilege on the database)`;
    return null;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}

function refuse(part: string): never {
  throw new InvalidInputError(`transform refused: ${part} is not allowed; ${TRANSFORM_ALLOWED}`);
}
