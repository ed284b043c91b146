import type pg from 'pg';

/** The benchmark table, as it is created at the source and pre-created for the COPY pipe and the subscription. */
export const BENCH_TABLE_DDL = `CREATE TABLE public.bench (
  id bigint PRIMARY KEY,
  n integer NOT NULL,
  code varchar(16) NOT NULL,
  amount numeric(12,2) NOT NULL,
  note text NOT NULL,
  created_at timestamp NOT NULL,
  flag boolean NOT NULL,
  doc jsonb NOT NULL
)`;

/** The columns in table order, for checksums that ignore anything a replicator may add. */
export const BENCH_COLUMNS = 'id, n, code, amount, note, created_at, flag, doc';

/** The deterministic values of row `g` (no random()): the same id always gives the same row. */
function rowValues(g: string): string {
  return [
    g,
    `((${g} * 7919) % 1000003)::integer`,
    `'c' || lpad(to_hex(${g}), 15, '0')`,
    `(((${g} * 104729) % 1000000000) / 100.0)::numeric(12,2)`,
    `rpad(repeat(md5(${g}::text), 4), 100)`,
    `timestamp '2024-01-01 00:00:00' + ${g} * interval '1 second'`,
    `${g} % 3 = 0`,
    `jsonb_build_object('id', ${g}, 'tag', 'tag-' || (${g} % 100), 'score', ${g} % 1000, 'even', ${g} % 2 = 0)`,
  ].join(', ');
}

/** Creates and fills `public.bench` with rows 1..rows, then vacuums it so every reader finds it in the same state. */
export async function loadBenchTable(pool: pg.Pool, rows: number): Promise<void> {
  await pool.query(BENCH_TABLE_DDL);
  await pool.query(
    `INSERT INTO public.bench SELECT ${rowValues('g')} FROM generate_series(1, $1::bigint) AS g`,
    [rows],
  );
  await pool.query('VACUUM (ANALYZE, FREEZE) public.bench');
  await pool.query(BACKLOG_PROCEDURE);
}

/**
 * Change i of a backlog is, by i % 7: 0-3 an UPDATE of a lower-half row, 4-5 an INSERT of a new
 * row, 6 a DELETE of an upper-half row — 4:2:1, so 350 000 changes are 200k/100k/50k. It COMMITs
 * after every `p_per_tx` changes (a procedure may), so generating the backlog is one CALL.
 */
const BACKLOG_PROCEDURE = `
CREATE PROCEDURE public.bench_backlog(
  p_changes integer, p_per_tx integer, p_insert_from bigint, p_delete_from bigint, p_half bigint, p_salt integer)
LANGUAGE plpgsql AS $proc$
DECLARE
  i integer;
  k integer;
  g bigint;
BEGIN
  FOR i IN 0 .. p_changes - 1 LOOP
    k := i % 7;
    IF k < 4 THEN
      g := 1 + (((i / 7) * 4 + k)::bigint * 37 + p_salt) % p_half;
      UPDATE public.bench
         SET n = n + 1,
             amount = amount + 1,
             note = rpad('u' || p_salt || '-' || i || '-' || md5(i::text), 100, '.'),
             doc = jsonb_set(doc, '{score}', to_jsonb(i))
       WHERE id = g;
    ELSIF k < 6 THEN
      g := p_insert_from + (i / 7) * 2 + (k - 4);
      INSERT INTO public.bench SELECT ${rowValues('g')};
    ELSE
      g := p_delete_from - i / 7;
      DELETE FROM public.bench WHERE id = g;
    END IF;
    IF (i + 1) % p_per_tx = 0 THEN
      COMMIT;
    END IF;
  END LOOP;
  COMMIT;
END
$proc$`;

/** One backlog of changes: what the procedure is called with, what it does, and the row its last change touches. */
export interface BacklogPlan {
  readonly label: string;
  readonly changes: number;
  readonly perTx: number;
  readonly transactions: number;
  readonly updates: number;
  readonly inserts: number;
  readonly deletes: number;
  readonly insertFrom: number;
  readonly deleteFrom: number;
  readonly half: number;
  readonly salt: number;
  /** The id the last change touches: once a destination shows its final state, the whole backlog is applied. */
  readonly markerId: number;
}

/**
 * Plans a backlog over a table of `rows` original rows. A later backlog passes the previous one,
 * so its inserts take fresh ids and its deletes original rows not yet deleted.
 */
export function planBacklog(
  label: string,
  rows: number,
  changes: number,
  perTx: number,
  salt: number,
  previous?: BacklogPlan,
): BacklogPlan {
  const groups = Math.floor(changes / 7);
  const rest = changes % 7;
  const insertFrom = previous ? previous.insertFrom + previous.inserts : rows + 1;
  const deleteFrom = previous ? previous.deleteFrom - previous.deletes : rows;
  const half = Math.floor(rows / 2);
  const plan = {
    label,
    changes,
    perTx,
    transactions: Math.ceil(changes / perTx),
    updates: groups * 4 + Math.min(rest, 4),
    inserts: groups * 2 + Math.max(0, Math.min(rest - 4, 2)),
    deletes: groups,
    insertFrom,
    deleteFrom,
    half,
    salt,
  };
  return { ...plan, markerId: touchedId(plan, changes - 1) };
}

/** The id change `i` touches, as the procedure computes it. */
function touchedId(plan: Omit<BacklogPlan, 'markerId'>, i: number): number {
  const k = i % 7;
  const group = Math.floor(i / 7);
  if (k < 4) return 1 + (((group * 4 + k) * 37 + plan.salt) % plan.half);
  if (k < 6) return plan.insertFrom + group * 2 + (k - 4);
  return plan.deleteFrom - group;
}

/** Runs the backlog at the source: one CALL, one COMMIT per `perTx` changes. */
export async function generateBacklog(pool: pg.Pool, plan: BacklogPlan): Promise<void> {
  await pool.query('CALL public.bench_backlog($1, $2, $3, $4, $5, $6)', [
    plan.changes,
    plan.perTx,
    plan.insertFrom,
    plan.deleteFrom,
    plan.half,
    plan.salt,
  ]);
}
