/**
 * What a DDL row (`OPERATION_CODE = 5`) did to a table, classified from its SQL_REDO text; the
 * table's new shape is then read from the catalog, never parsed from the statement.
 * - `create` / `alter` / `drop` / `truncate`: `table` is the table's name;
 * - `rename`: `from` the old name, `table` the new one (`ALTER TABLE a RENAME TO b`, `RENAME a TO b`);
 * - `other`: anything else (indexes, grants, comments…): ignored.
 * Names are as Oracle stores them: quoted names as written, unquoted ones upper-cased.
 */
export type DdlStatement =
  | { readonly kind: 'create' | 'alter' | 'drop' | 'truncate'; readonly table: string }
  | { readonly kind: 'rename'; readonly from: string; readonly table: string }
  | { readonly kind: 'other' };

const NAME = String.raw`((?:"[^"]+"|[A-Za-z][\w$#]*)(?:\s*\.\s*(?:"[^"]+"|[A-Za-z][\w$#]*))?)`;
const PATTERNS: readonly (readonly [
  RegExp,
  'create' | 'alter' | 'drop' | 'truncate' | 'rename-alter' | 'rename',
])[] = [
  [new RegExp(String.raw`^\s*create\s+(?:global\s+temporary\s+)?table\s+${NAME}`, 'i'), 'create'],
  [new RegExp(String.raw`^\s*alter\s+table\s+${NAME}\s+rename\s+to\s+${NAME}`, 'i'), 'rename-alter'],
  [new RegExp(String.raw`^\s*alter\s+table\s+${NAME}`, 'i'), 'alter'],
  [new RegExp(String.raw`^\s*drop\s+table\s+${NAME}`, 'i'), 'drop'],
  [new RegExp(String.raw`^\s*truncate\s+table\s+${NAME}`, 'i'), 'truncate'],
  [new RegExp(String.raw`^\s*rename\s+${NAME}\s+to\s+${NAME}`, 'i'), 'rename'],
];

/** Classifies one DDL statement as LogMiner wrote it. */
export function classifyDdl(sql: string): DdlStatement {
  for (const [pattern, kind] of PATTERNS) {
    const match = pattern.exec(sql);
    if (match === null) continue;
    const first = tableName(match[1] ?? '');
    if (kind === 'rename-alter' || kind === 'rename')
      return { kind: 'rename', from: first, table: tableName(match[2] ?? '') };
    return { kind, table: first };
  }
  return { kind: 'other' };
}

/** The table part of `owner.table` or `table`, as stored: `"Mixed"` → `Mixed`, `orders` → `ORDERS`. */
function tableName(written: string): string {
  const parts = written.match(/"[^"]+"|[^.\s]+/g) ?? [];
  const last = parts.at(-1) ?? '';
  return last.startsWith('"') ? last.slice(1, -1) : last.toUpperCase();
}
