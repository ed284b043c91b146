import type { RedoImage, RedoLiteral } from '../../../plugins/oracle/logminer/redo-literal.js';
import { binaryOrLobLiteral } from './model-lobs.js';
import type { ModelColumn, ModelRow, ModelTable } from './model-types.js';

/** A row as SQL_REDO writes it: the columns present (but `leaveOut`), each as its type's literal. */
export function redoImage(table: ModelTable, row: ModelRow, leaveOut: readonly string[] = []): RedoImage {
  return Object.fromEntries(
    table.columns
      .filter((c) => c.name in row && !leaveOut.includes(c.name))
      .map((c) => [c.name, literal(c, row[c.name] ?? null)]),
  );
}

/** A value as LogMiner writes it in SQL_REDO for the column's type. */
function literal(column: ModelColumn, value: string | null): RedoLiteral {
  if (value === null) return { form: 'null' };
  const binaryOrLob = binaryOrLobLiteral(column, value);
  if (binaryOrLob !== null) return binaryOrLob;
  if (column.dataType === 'DATE') return { form: 'date', text: value, mask: 'YYYY-MM-DD HH24:MI:SS' };
  if (column.dataType.startsWith('TIMESTAMP')) return { form: 'timestamp', text: value };
  return { form: 'string', text: value };
}
