/**
 * What a DDL row (`OPERATION_CODE = 5`) did to a table, classified from its SQL_REDO text; the
 * table's new shape is then read from the catalog, never parsed from the statement.
 * - `create` / `alter` / `drop` / `truncate`: `table` is the table's name;
 * - `rename`: `from` the old name, `table` the new one (`ALTER TABLE a RENAME TO b`, `RENAME a TO b`);
 * - `other`: anything else (indexes, grants, comments…): ignored.
 * Names are as Oracle stores them: quoted names as written, unquoted ones upper-cased; `owner` when
 * the statement qualifies the (first) table.
 */
export type DdlStatement =
  | {
      readonly kind: 'create' | 'alter' | 'drop' | 'truncate';
      readonly table: string;
      readonly owner?: string;
    }
  | { readonly kind: 'rename'; readonly from: string; readonly table: string; readonly owner?: string }
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
    const owner = ownerName(match[1] ?? '');
    const qualified = owner === null ? {} : { owner };
    if (kind === 'rename-alter' || kind === 'rename')
      return { kind: 'rename', from: first, table: tableName(match[2] ?? ''), ...qualified };
    return { kind, table: first, ...qualified };
  }
  return { kind: 'other' };
}

/** The table part of `owner.table` or `table`, as stored: `"Mixed"` → `Mixed`, `orders` → `ORDERS`. */
function tableName(written: string): string {
  return stored(namesOf(written).at(-1) ?? '');
}

/** The owner part of `owner.table`, as stored; null for an unqualified name. */
function ownerName(written: string): string | null {
  const parts = namesOf(written);
  return parts.length > 1 ? stored(parts[0] ?? '') : null;
}

function namesOf(written: string): string[] {
  return written.match(/"[^"]+"|[^.\s]+/g) ?? [];
}

function stored(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1) : name.toUpperCase();
}
