import type { RedoImage, RedoLiteral } from '../../../plugins/oracle/logminer/redo-literal.js';
import { renderSqlRedo } from '../../plugins/oracle/support/sql-redo-renderer.js';
import type { ModelColumn, ModelLobOp, ModelRow, ModelTable } from './model-types.js';

/** Longer LOB values are written through a locator (LogMiner: values that do not fit in the row). */
const INLINE = 30;
/** Characters (CLOB) or bytes (BLOB) per LOB_WRITE. */
const CHUNK = 25;

export function isLob(column: ModelColumn): boolean {
  return ['CLOB', 'NCLOB', 'BLOB'].includes(column.dataType);
}

const isBinary = (column: ModelColumn) => column.dataType === 'BLOB' || column.dataType.startsWith('RAW');

/** Whether `value` of `column` is written by SEL_LOB_LOCATOR + LOB_WRITE rather than in the row. */
export function byLocator(column: ModelColumn, value: string | null | undefined): boolean {
  if (!isLob(column) || value === null || value === undefined) return false;
  return (isBinary(column) ? value.length / 2 : value.length) > INLINE;
}

/** A LOB or RAW value in a DML row: inline as text or HEXTORAW, or `EMPTY_*()` before its writes. */
export function binaryOrLobLiteral(column: ModelColumn, value: string): RedoLiteral | null {
  if (byLocator(column, value)) return { form: isBinary(column) ? 'empty-blob' : 'empty-clob' };
  if (isBinary(column)) return { form: 'hex', text: value };
  return null;
}

/**
 * The LOB operations that write the long LOB values of `row` in `columns`: a locator selection
 * naming the row by `key`, then LOB_WRITEs of CHUNK characters or bytes.
 */
export function lobOperations(
  table: ModelTable,
  row: ModelRow,
  key: RedoImage,
  columns: readonly string[],
): ModelLobOp[] {
  const operations: ModelLobOp[] = [];
  for (const column of table.columns.filter((c) => columns.includes(c.name) && byLocator(c, row[c.name]))) {
    const binary = isBinary(column);
    operations.push({ kind: 'locator', column: column.name, binary, key });
    const value = row[column.name] ?? '';
    // CLOB offsets count UTF-16 code units (Oracle keeps CLOBs as UCS-2/AL16UTF16)
    const units = binary ? (value.match(/../g) ?? []) : value.split('');
    for (let at = 0; at < units.length; at += CHUNK) {
      const piece = units.slice(at, at + CHUNK);
      operations.push({ kind: 'write', binary, data: piece.join(''), offset: at + 1, length: piece.length });
    }
  }
  return operations;
}

/** A LOB operation's SQL_REDO, in the forms LogMiner readers document (not recorded from a server). */
export function renderLob(operation: ModelLobOp, owner: string, table: string): string {
  const loc = operation.binary ? 'b' : 'c';
  if (operation.kind === 'locator') {
    const where = renderSqlRedo({ op: 'delete', schema: owner, table, before: operation.key })
      .replace(/^delete from "(?:[^"]|"")+"\."(?:[^"]|"")+" where /, '')
      .replace(/;$/, '');
    return `DECLARE \n loc_c CLOB; \n buf_c VARCHAR2(6426);\n loc_b BLOB; \n buf_b RAW(6426);\nBEGIN\n select "${operation.column}" into loc_${loc} from "${owner}"."${table}" where ${where} for update;\nEND;`;
  }
  const data = operation.binary
    ? `HEXTORAW('${operation.data}')`
    : `'${operation.data.replaceAll("'", "''")}'`;
  return ` buf_${loc} := ${data};\n  dbms_lob.write(loc_${loc}, ${operation.length}, ${operation.offset}, buf_${loc});`;
}
