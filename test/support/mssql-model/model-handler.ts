import type { FakeTdsHandler, HandlerResult, ResultSet } from '../fake-tds/result-set.js';
import { FakeTdsError } from '../fake-tds/result-set.js';
import type { SqlValue } from '../fake-tds/value-encoder.js';
import {
  type CaptureInstance,
  type CdcModel,
  type ModelColumn,
  type ModelRow,
  type ModelTable,
} from './cdc-model.js';
import { logText, seqvalNumber } from './lsn.js';

/** The tag a statement starts with (`/* tributary:<name> *\/`), or undefined. */
function tagOf(sql: string): string | undefined {
  return /^\/\* tributary:([a-z-]+) \*\//.exec(sql.trim())?.[1];
}

const set = (columns: [string, string][], rows: SqlValue[][]): ResultSet => ({
  columns: columns.map(([name, type]) => ({ name, type })),
  rows,
});

/** `decimal(12,2)` → { base: 'decimal', precision: 12, scale: 2 }, as `sys.columns` reports it. */
function catalogType(column: ModelColumn) {
  const match = /^(\w+)(?:\((max|\d+)(?:,(\d+))?\))?$/.exec(column.type);
  const base = match?.[1] ?? column.type;
  const size = match?.[2];
  const second = match?.[3];
  const fixed: Record<string, number> = {
    int: 4,
    bigint: 8,
    smallint: 2,
    tinyint: 1,
    bit: 1,
    date: 3,
    uniqueidentifier: 16,
  };
  if (base === 'decimal' || base === 'numeric')
    return { base, maxLength: 9, precision: Number(size), scale: Number(second ?? 0) };
  if (['datetime2', 'time', 'datetimeoffset'].includes(base))
    return { base, maxLength: 8, precision: 27, scale: Number(size ?? 7) };
  if (size === 'max') return { base, maxLength: -1, precision: 0, scale: 0 };
  if (size !== undefined) {
    const wide = base.startsWith('n');
    return { base, maxLength: Number(size) * (wide ? 2 : 1), precision: 0, scale: 0 };
  }
  return { base, maxLength: fixed[base] ?? 0, precision: 0, scale: 0 };
}

/** The select list's aliases in order, each with the wire type: converted to text, or native. */
function projection(sql: string, columns: readonly ModelColumn[]): { name: string; type: string }[] {
  const list = /SELECT (?:TOP \(@\w+\) )?(.*?) FROM /.exec(sql)?.[1] ?? '';
  const aliases = [...list.matchAll(/ AS \[((?:[^\]]|\]\])+)\]/g)].map((m) =>
    (m[1] ?? '').replaceAll(']]', ']'),
  );
  return aliases.map((name) => {
    const escaped = name.replaceAll(']', ']]').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const converted = new RegExp(`CONVERT\\((n?varchar|varbinary)\\((\\d+|max)\\), \\[${escaped}\\]`).exec(
      list,
    );
    if (converted)
      return {
        name,
        type:
          converted[1] === 'varchar'
            ? converted[2] === 'max'
              ? 'varchar(max)'
              : 'varchar(64)'
            : `${converted[1]}(max)`,
      };
    return { name, type: columns.find((c) => c.name === name)?.type ?? 'nvarchar(max)' };
  });
}

/** The tables a `lock-tables` batch locks: each `FROM [s].[t] WITH (TABLOCK, HOLDLOCK)`. */
function lockedTables(model: CdcModel, sql: string): ModelTable[] {
  const unquote = (name = '') => name.replaceAll(']]', ']');
  return [
    ...sql.matchAll(/FROM \[((?:[^\]]|\]\])+)\]\.\[((?:[^\]]|\]\])+)\] WITH \(TABLOCK, HOLDLOCK\)/g),
  ].flatMap((match) => model.table(unquote(match[1]), unquote(match[2])) ?? []);
}

function tableOf(model: CdcModel, sql: string): ModelTable {
  const match = /FROM \[((?:[^\]]|\]\])+)\]\.\[((?:[^\]]|\]\])+)\]/.exec(sql);
  const table =
    match && model.table((match[1] ?? '').replaceAll(']]', ']'), (match[2] ?? '').replaceAll(']]', ']'));
  if (!table)
    throw new FakeTdsError({ number: 208, message: `Invalid object name in: ${sql.slice(0, 120)}` });
  return table;
}

/** Compares two key tuples as SQL Server orders them (numbers numerically, text as text). */
function compareTuples(a: readonly ModelValue[], b: readonly ModelValue[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === null || x === undefined) return -1;
    if (y === null || y === undefined) return 1;
    if (typeof x === 'number' || typeof y === 'number') {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      continue;
    }
    const d = String(x) < String(y) ? -1 : String(x) > String(y) ? 1 : 0;
    if (d !== 0) return d;
  }
  return 0;
}
type ModelValue = ModelRow[string] | undefined;

/** Per connection: the commit counter its SNAPSHOT transaction reads at (fixed by its first read). */
interface SessionState {
  snapshot?: number | 'pending';
}

/**
 * A fake TDS handler answering the sqlserver plugin's statements (recognised by their tags, see
 * plugins/sqlserver/client/statements.ts) from a CdcModel. Anything else is error 50000 naming the text,
 * so an unmodelled statement fails loudly.
 */
export function modelHandler(
  model: CdcModel,
  options: {
    user?: string;
    /**
     * Runs before each statement is answered, with its tag (`max-lsn` for each change-table poll,
     * `lock-tables`, `pin-snapshot`, `log-end-lsn`, `commit` through the snapshot hand-off): where
     * a test lets writers act at the source.
     */
    onStatement?: (tag: string) => void;
  } = {},
): FakeTdsHandler {
  const sessions = new Map<number, SessionState>();
  const session = (id: number) => {
    let state = sessions.get(id);
    if (!state) {
      state = {};
      sessions.set(id, state);
    }
    return state;
  };
  return (sql, params, request): HandlerResult => {
    const state = session(request.connection);
    options.onStatement?.(tagOf(sql) ?? '');
    const lsnParam = (name: string) => model.counterOf(params[name] as Buffer);
    switch (tagOf(sql)) {
      case 'server-info':
        return set(
          [
            ['major', 'int'],
            ['edition', 'int'],
            ['version', 'nvarchar(128)'],
            ['db', 'nvarchar(128)'],
          ],
          [[16, 3, '16.0.1000.6', model.database]],
        );
      case 'discover-columns':
        return set(
          [
            ['schema_name', 'nvarchar(128)'],
            ['table_name', 'nvarchar(128)'],
            ['column_name', 'nvarchar(128)'],
            ['column_id', 'int'],
            ['type_name', 'nvarchar(128)'],
            ['max_length', 'smallint'],
            ['precision', 'tinyint'],
            ['scale', 'tinyint'],
            ['is_nullable', 'bit'],
            ['is_identity', 'bit'],
            ['key_ordinal', 'int'],
          ],
          [...model.tables.values()].flatMap((table) =>
            table.columns.map((column, index) => {
              const type = catalogType(column);
              const ordinal = table.primaryKey.indexOf(column.name) + 1;
              return [
                table.schema,
                table.name,
                column.name,
                index + 1,
                type.base,
                type.maxLength,
                type.precision,
                type.scale,
                column.nullable,
                column.identity === true,
                ordinal,
              ];
            }),
          ),
        );
      case 'database-state':
        return set(
          [
            ['is_cdc_enabled', 'int'],
            ['snapshot_isolation_state', 'int'],
          ],
          [[model.cdcEnabled ? 1 : 0, model.snapshotIsolation ? 1 : 0]],
        );
      case 'table-state':
        return set(
          [
            ['schema_name', 'nvarchar(128)'],
            ['table_name', 'nvarchar(128)'],
            ['is_tracked_by_cdc', 'int'],
            ['can_select', 'int'],
          ],
          [...model.tables.values()].map((table) => [table.schema, table.name, table.tracked ? 1 : 0, 1]),
        );
      case 'max-lsn': {
        const max = model.maxLsn();
        return set([['max_lsn', 'binary(10)']], [[max === null ? null : model.lsn(max)]]);
      }
      case 'capture-progress': {
        const max = model.maxLsn();
        return set(
          [
            ['max_lsn', 'binary(10)'],
            ['log_end_lsn', 'nvarchar(24)'],
          ],
          [[max === null ? null : model.lsn(max), logText(model.lsn(model.logEnd))]],
        );
      }
      case 'position-age': {
        const time = model.commitTime(lsnParam('lsn'));
        const age =
          time === null
            ? null
            : Math.floor((model.clockMs - Date.parse(`${time.slice(0, 23).replace(' ', 'T')}Z`)) / 1000);
        return set(
          [
            ['retention_minutes', 'int'],
            ['age_seconds', 'int'],
          ],
          [[model.retentionMinutes, age]],
        );
      }
      case 'row-estimates':
        return set(
          [
            ['schema_name', 'nvarchar(128)'],
            ['table_name', 'nvarchar(128)'],
            ['estimate', 'float'],
          ],
          [...model.tables.values()].map((table) => [table.schema, table.name, table.rows.size]),
        );
      case 'log-end-lsn':
        return set([['log_end_lsn', 'nvarchar(24)']], [[logText(model.lsn(model.logEnd))]]);
      case 'capture-instances':
        return set(
          [
            ['capture_instance', 'nvarchar(128)'],
            ['schema_name', 'nvarchar(128)'],
            ['table_name', 'nvarchar(128)'],
            ['start_lsn', 'binary(10)'],
            ['role_name', 'nvarchar(128)'],
            ['in_role', 'int'],
            ['create_date', 'varchar(27)'],
          ],
          model.instances.map((i) => [
            i.name,
            i.table.schema,
            i.table.name,
            model.lsn(i.startLsn),
            i.roleName,
            i.roleName === null || options.user === undefined ? 1 : 0,
            i.createDate,
          ]),
        );
      case 'captured-columns':
        return set(
          [
            ['capture_instance', 'nvarchar(128)'],
            ['column_name', 'nvarchar(128)'],
            ['column_id', 'int'],
            ['type_name', 'nvarchar(128)'],
            ['max_length', 'smallint'],
            ['precision', 'tinyint'],
            ['scale', 'tinyint'],
            ['is_nullable', 'bit'],
          ],
          model.instances.flatMap((i) =>
            i.columns.map((column, index) => {
              const type = catalogType(column);
              return [
                i.name,
                column.name,
                index + 6,
                type.base,
                type.maxLength,
                type.precision,
                type.scale,
                true,
              ];
            }),
          ),
        );
      case 'min-lsn': {
        const instance = model.instances.find((i) => i.name === params.instance);
        return set(
          [['min_lsn', 'binary(10)']],
          [[instance ? model.lsn(instance.startLsn) : Buffer.alloc(10)]],
        );
      }
      case 'lsn-time':
        return set([['commit_time', 'varchar(27)']], [[model.commitTime(lsnParam('lsn'))]]);
      case 'lock-tables':
        model.lock(request.connection, lockedTables(model, sql));
        return [];
      case 'commit':
        model.release(request.connection);
        return [];
      case 'begin-snapshot':
        if (!model.snapshotIsolation)
          return new FakeTdsError({
            number: 3952,
            message:
              'Snapshot isolation transaction failed accessing database because snapshot isolation is not allowed in this database.',
          });
        state.snapshot = 'pending';
        return [];
      case 'pin-snapshot':
        if (state.snapshot === 'pending') state.snapshot = model.logEnd;
        return set([['pinned', 'int']], [[1]]);
      case 'snapshot-page':
      case 'snapshot-all':
        return snapshotPage(model, sql, params, state);
      case 'change-page':
        return changePage(model, sql, params);
      default:
        return new FakeTdsError({
          number: 50000,
          message: `the CDC model does not know this statement: ${sql.slice(0, 200)}`,
        });
    }
  };
}

function snapshotPage(
  model: CdcModel,
  sql: string,
  params: Readonly<Record<string, SqlValue>>,
  state: SessionState,
): ResultSet {
  const table = tableOf(model, sql);
  const at = typeof state.snapshot === 'number' ? state.snapshot : model.logEnd;
  const keys = table.primaryKey;
  let rows = model.rowsAt(table, at);
  if (keys.length > 0) {
    rows = [...rows].sort((a, b) =>
      compareTuples(
        keys.map((k) => a[k]),
        keys.map((k) => b[k]),
      ),
    );
    if ('k0' in params) {
      const after = keys.map((_, i) => params[`k${i}`] as ModelValue);
      rows = rows.filter(
        (row) =>
          compareTuples(
            keys.map((k) => row[k]),
            after,
          ) > 0,
      );
    }
  }
  if (typeof params.batch === 'number') rows = rows.slice(0, params.batch);
  const columns = projection(sql, table.columns);
  return { columns, rows: rows.map((row) => columns.map((c) => toWire(row[c.name] ?? null, c.type))) };
}

function changePage(
  model: CdcModel,
  sql: string,
  params: Readonly<Record<string, SqlValue>>,
): ResultSet | FakeTdsError {
  const name = /fn_cdc_get_all_changes_((?:[^\]]|\]\])+)\]/.exec(sql)?.[1];
  const instance: CaptureInstance | undefined = model.instances.find((i) => i.name === name);
  if (!instance)
    return new FakeTdsError({
      number: 208,
      message: `Invalid object name 'cdc.fn_cdc_get_all_changes_${name}'.`,
    });
  const n = (key: string) => model.counterOf(params[key] as Buffer);
  const from = n('from');
  const to = n('to');
  const max = model.maxLsn() ?? 0;
  if (from < instance.startLsn || to > max || from > to)
    return new FakeTdsError({
      number: 313,
      message:
        'An insufficient number of arguments were supplied for the procedure or function cdc.fn_cdc_get_all_changes_ ... .',
    });
  let rows = model
    .harvestedRows(instance)
    .filter((row) => row.lsn >= from && row.lsn <= to && row.lsn > n('pos') && row.lsn < n('until'));
  if ('l0' in params) {
    const after = [n('l0'), seqvalNumber(params.l1 as Buffer), Number(params.l2)];
    rows = rows.filter((row) => compareTuples([row.lsn, row.seqval, row.operation], after) > 0);
  }
  rows.sort((a, b) => compareTuples([a.lsn, a.seqval, a.operation], [b.lsn, b.seqval, b.operation]));
  rows = rows.slice(0, Number(params.page));
  const data = projection(sql, instance.columns);
  const mask = Buffer.alloc(Math.ceil(instance.columns.length / 8), 0xff);
  return {
    columns: [
      { name: '__$start_lsn', type: 'binary(10)' },
      { name: '__$seqval', type: 'binary(10)' },
      { name: '__$operation', type: 'int' },
      { name: '__$update_mask', type: 'varbinary(128)' },
      ...data,
    ],
    rows: rows.map((row) => [
      model.lsn(row.lsn),
      model.seqval(row.seqval),
      row.operation,
      mask,
      ...data.map((c) => toWire(row.values[c.name] ?? null, c.type)),
    ]),
  };
}

/** A stored value as the wire type carries it. */
function toWire(value: ModelValue, type: string): SqlValue {
  if (value === null || value === undefined) return null;
  if (type === 'bit') return Boolean(value);
  if (type.startsWith('varchar') || type.startsWith('nvarchar'))
    return Buffer.isBuffer(value) ? value.toString('hex') : String(value);
  return value as SqlValue;
}
