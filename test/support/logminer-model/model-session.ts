import type { OracleBinds, OracleRow, OracleSession } from '../../../plugins/oracle/client/session.js';
import * as SQL from '../../../plugins/oracle/client/sql.js';
import { renderSqlRedo, splitAt } from '../../plugins/oracle/support/sql-redo-renderer.js';
import type { LogMinerModel } from './logminer-model.js';
import { renderLob } from './model-lobs.js';
import type { ModelRow, ModelTable, RedoRecord } from './model-types.js';

/** SQL_REDO longer than this is split into CSF continuation rows (LogMiner: 4,000). */
const PIECE = 120;

/**
 * A session on the LogMiner model: answers the plugin's statements (`plugins/oracle/client/sql.ts`),
 * recognised by text, and refuses anything else, so the plugin cannot drift from what the model
 * knows. One LogMiner session per model session (ADD_LOGFILE, START/END_LOGMNR).
 */
export class ModelSession implements OracleSession {
  private files = new Set<number>();
  private window: { start: bigint; end: bigint } | null = null;
  closed = false;

  constructor(private readonly model: LogMinerModel) {}

  async execute(sql: string, binds: OracleBinds = {}): Promise<OracleRow[]> {
    if (this.closed) throw new Error('NJS-003: invalid or closed connection');
    const bind = binds as Record<string, unknown>;
    const model = this.model;
    if (sql.startsWith('ALTER SESSION SET')) return [];
    switch (sql) {
      case SQL.DATABASE_STATE:
        return [
          {
            LOG_MODE: model.archivelog ? 'ARCHIVELOG' : 'NOARCHIVELOG',
            SUPPLEMENTAL_LOG_DATA_MIN: model.supplementalMin,
            SUPPLEMENTAL_LOG_DATA_ALL: 'NO',
            CDB: 'YES',
            CURRENT_SCN: String(model.scn),
          },
        ];
      case SQL.CURRENT_SCN:
        return [{ CURRENT_SCN: String(model.scn) }];
      case SQL.SCN_AND_OPEN_TRANSACTIONS: {
        const open = [...model.open.values()];
        const scn = String(model.scn);
        return open.length === 0
          ? [{ CURRENT_SCN: scn, START_SCN: null }]
          : open.map((start) => ({ CURRENT_SCN: scn, START_SCN: String(start) }));
      }
      case SQL.SESSION_PRIVILEGES:
        return [...model.privileges].map((PRIVILEGE) => ({ PRIVILEGE }));
      case SQL.SESSION_ROLES:
        return [...model.roles].map((ROLE) => ({ ROLE }));
      case SQL.OBJECT_GRANTS:
        return [];
      case SQL.ALL_COLUMN_LOGGING:
        return this.tablesOf(bind.owner)
          .filter((t) => t.allColumnLogging)
          .map((t) => ({ TABLE_NAME: t.name }));
      case SQL.LIST_TABLES:
        return this.tablesOf(bind.owner)
          .map((t) => ({ TABLE_NAME: t.name }))
          .sort((a, b) => (a.TABLE_NAME < b.TABLE_NAME ? -1 : 1));
      case SQL.TABLE_COLUMNS:
        return this.tablesOf(bind.owner).flatMap((t) =>
          t.columns.map((c, index) => ({
            TABLE_NAME: t.name,
            COLUMN_NAME: c.name,
            COLUMN_ID: String(index + 1),
            DATA_TYPE: c.dataType,
            CHAR_LENGTH: c.charLength === undefined ? '0' : String(c.charLength),
            CHAR_USED: c.charLength === undefined ? null : 'B',
            DATA_PRECISION: c.precision === undefined ? null : String(c.precision),
            DATA_SCALE: c.scale === undefined ? null : String(c.scale),
            NULLABLE: c.nullable ? 'Y' : 'N',
            IDENTITY_COLUMN: 'NO',
          })),
        );
      case SQL.PRIMARY_KEYS:
        return this.tablesOf(bind.owner).flatMap((t) =>
          t.primaryKey.map((c) => ({ TABLE_NAME: t.name, COLUMN_NAME: c })),
        );
      case SQL.LOG_FILES:
        return this.logFiles(BigInt(String(bind.scn)));
      case SQL.ADD_LOGFILE:
        this.files.add(Number(String(bind.name).replace(/^\D+/, '')));
        return [];
      case SQL.START_LOGMNR:
        this.startMining(BigInt(String(bind.startScn)), BigInt(String(bind.endScn)));
        return [];
      case SQL.END_LOGMNR:
        this.files = new Set();
        this.window = null;
        return [];
    }
    if (/^CREATE TABLE .*TRIBUTARY_FLUSH/.test(sql) || /^INSERT INTO .*TRIBUTARY_FLUSH/.test(sql)) return [];
    if (/^DROP TABLE .*TRIBUTARY_FLUSH/.test(sql)) return [];
    if (/^UPDATE .*TRIBUTARY_FLUSH/.test(sql)) {
      model.flush();
      return [];
    }
    throw new Error(`the LogMiner model does not know this statement: ${sql}`);
  }

  async *query(sql: string, binds: OracleBinds, batchSize: number): AsyncIterable<readonly OracleRow[]> {
    const rows = sql === SQL.MINED_ROWS ? this.mined() : this.snapshot(sql, binds as Record<string, unknown>);
    let batch: OracleRow[] = [];
    for (const row of rows) {
      batch.push(row);
      if (batch.length < batchSize) continue;
      await Promise.resolve();
      yield batch;
      batch = [];
    }
    if (batch.length > 0) yield batch;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private tablesOf(owner: unknown): ModelTable[] {
    return [...this.model.tables.values()].filter((t) => t.owner === owner);
  }

  private logFiles(scn: bigint): OracleRow[] {
    return this.model.logs
      .filter((log) => !log.deleted && (log.nextScn === null || log.nextScn > scn))
      .map((log) => ({
        NAME: `/redo/log_${log.sequence}`,
        'SEQUENCE#': String(log.sequence),
        'FIRST_CHANGE#': String(log.firstScn),
        'NEXT_CHANGE#': log.nextScn === null ? null : String(log.nextScn),
        KIND: log.archived ? 'ARCHIVED' : 'ONLINE',
      }));
  }

  /** ORA-01291 unless the added logs cover [start, end]. */
  private startMining(start: bigint, end: bigint): void {
    for (const log of this.model.logs) {
      const overlaps = log.firstScn <= end && (log.nextScn === null || log.nextScn > start);
      if (overlaps && (!this.files.has(log.sequence) || log.deleted))
        throw new Error('ORA-01291: missing logfile');
    }
    this.window = { start, end };
  }

  /**
   * V$LOGMNR_CONTENTS for the window: written redo only, rendered against today's dictionary as it
   * is fetched (bulk redo generated record by record), in SCN order.
   */
  private *mined(): Generator<OracleRow> {
    const window = this.window;
    if (window === null)
      throw new Error(
        'ORA-01306: dbms_logmnr.start_logmnr() must be invoked before selecting from v$logmnr_contents',
      );
    const written = this.model.writtenScn;
    const visible = (scn: bigint) => scn >= window.start && scn <= window.end && scn <= written;
    const bulks = [...this.model.bulkRedo];
    const kept = this.model.redo.slice();
    const bulkRows = function* (this: ModelSession, bulk: (typeof bulks)[number]) {
      const first = window.start > bulk.firstScn ? Number(window.start - bulk.firstScn) : 0;
      for (let index = first; index < bulk.count; index++) {
        const scn = bulk.firstScn + BigInt(index);
        if (scn > window.end) return;
        if (visible(scn)) yield* this.render(bulk.at(index));
      }
    }.bind(this);
    for (const record of kept) {
      while (bulks[0] !== undefined && bulks[0].firstScn < record.scn)
        yield* bulkRows(bulks.shift() as (typeof bulks)[number]);
      if (visible(record.scn)) yield* this.render(record);
    }
    for (const bulk of bulks) yield* bulkRows(bulk);
  }

  private render(record: RedoRecord): OracleRow[] {
    const base = {
      SCN: String(record.scn),
      XID: record.xid,
      OPERATION_CODE: String(record.op),
      ROLLBACK: '0',
      ROW_ID: record.rowId,
      TIMESTAMP: record.time,
      INFO: null,
    };
    if (record.objectId === null)
      return [
        {
          ...base,
          CSF: '0',
          SQL_REDO:
            record.op === 7 ? 'commit;' : record.op === 6 ? 'set transaction read write;' : 'rollback;',
          SEG_OWNER: null,
          TABLE_NAME: null,
        },
      ];
    const table = [...this.model.tables.values()].find((t) => t.objectId === record.objectId);
    const owner = table === undefined ? 'UNKNOWN' : table.owner;
    const name = table === undefined ? `OBJ# ${record.objectId}` : table.name;
    const text =
      record.dml !== undefined
        ? renderSqlRedo({ ...record.dml, schema: owner, table: name })
        : record.lob !== undefined
          ? renderLob(record.lob, owner, name)
          : (record.ddl ?? '');
    const cuts: number[] = [];
    for (let at = PIECE; at < text.length; at += PIECE) cuts.push(at);
    const pieces = splitAt(text, cuts);
    return pieces.map((piece, index) => ({
      ...base,
      CSF: index < pieces.length - 1 ? '1' : '0',
      SQL_REDO: piece,
      SEG_OWNER: owner,
      TABLE_NAME: name,
    }));
  }

  /** `SELECT … FROM "O"."T" AS OF SCN :scn [WHERE keyset] ORDER BY key FETCH FIRST :limit ROWS ONLY`. */
  private snapshot(sql: string, binds: Record<string, unknown>): OracleRow[] {
    const match = /^SELECT (.+) FROM "([^"]+)"\."([^"]+)" AS OF SCN :scn/.exec(sql);
    if (match === null) throw new Error(`the LogMiner model does not know this query: ${sql}`);
    const table = this.model.table(match[3] ?? '');
    const scn = BigInt(String(binds.scn));
    if (table.versions[0] !== undefined && table.versions[0].scn > scn)
      throw new Error('ORA-01466: unable to read data - table definition has changed');
    const key = table.primaryKey;
    const compare = (a: ModelRow, b: ModelRow) => {
      for (const column of key) {
        const order = compareValues(a[column] ?? null, b[column] ?? null);
        if (order !== 0) return order;
      }
      return 0;
    };
    let rows = [...this.model.rowsAsOf(table, scn).values()].sort(compare);
    if ('k0' in binds) {
      const after: ModelRow = Object.fromEntries(
        key.map((column, index) => [column, String(binds[`k${index}`])]),
      );
      rows = rows.filter((row) => compare(row, after) > 0);
    }
    if (typeof binds.limit === 'number') rows = rows.slice(0, binds.limit);
    // RAW and BLOB come back as Buffers (the adapter's fetch handlers), everything else as text
    const binary = table.columns.filter((c) => c.dataType === 'BLOB' || c.dataType.startsWith('RAW'));
    return rows.map((row) => {
      const fetched: Record<string, unknown> = { ...row };
      for (const c of binary) {
        const value = row[c.name];
        if (value !== null && value !== undefined) fetched[c.name] = Buffer.from(value, 'hex');
      }
      return fetched;
    });
  }
}

function compareValues(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const numeric = /^-?\d+(\.\d+)?$/;
  if (numeric.test(a) && numeric.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : 1;
}
