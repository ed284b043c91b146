import type { RedoImage, RedoLiteral } from './redo-literal.js';
import { parseSqlRedo } from './sql-redo-parser.js';

/**
 * LogMiner writes a LOB value that does not fit in the row as operations on a locator, after the
 * row's INSERT (`EMPTY_CLOB()` / `EMPTY_BLOB()` in it) or UPDATE:
 * - `SEL_LOB_LOCATOR` (op 9): `DECLARE … BEGIN select "COL" into loc_c from "S"."T" where <row> for update; END;`
 * - `LOB_WRITE` (op 10): `buf_c := '<text>'; dbms_lob.write(loc_c, <length>, <offset>, buf_c);`
 *   (`loc_b` / `buf_b := HEXTORAW('…')` for a BLOB), offsets 1-based, in bytes for a BLOB and in
 *   UTF-16 code units for a CLOB (Oracle holds CLOBs as AL16UTF16), as JS string indices count;
 * - `LOB_TRIM` (op 11): `dbms_lob.trim(loc_c, <length>);`
 * - `LOB_ERASE` (op 29): not assembled (an error names it).
 * These are the forms other LogMiner readers document; they have not been recorded from a server.
 */
export const LobOperation = { locator: 9, write: 10, trim: 11, erase: 29 } as const;

export interface LobLocator {
  readonly schema: string;
  readonly table: string;
  readonly column: string;
  readonly binary: boolean;
  /** The row written, from the locator's WHERE clause. */
  readonly row: RedoImage;
}

const IDENT = `"(?:[^"]|"")+"`;
const LOCATOR = new RegExp(
  String.raw`select\s+(${IDENT})\s+into\s+loc_(\w+)\s+from\s+(${IDENT})\s*\.\s*(${IDENT})\s+where\s+([\s\S]*?)\s+for\s+update\s*;`,
  'i',
);
const WRITE = /:=\s*([\s\S]*?)\s*;\s*dbms_lob\.write\(\s*loc_\w+\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*buf_\w+\s*\)/i;
const TRIM = /dbms_lob\.trim\(\s*loc_\w+\s*,\s*(\d+)\s*\)/i;

const unquote = (name: string) => name.slice(1, -1).replaceAll('""', '"');

/** The row and column a `SEL_LOB_LOCATOR` row selects. */
export function parseLobLocator(sqlRedo: string): LobLocator {
  const match = LOCATOR.exec(sqlRedo);
  if (match === null) throw new Error(`not a LOB locator selection: ${sqlRedo.slice(0, 200)}`);
  const [, column = '', kind = '', schema = '', table = '', where = ''] = match;
  const statement = parseSqlRedo(`delete from ${schema}.${table} where ${where};`);
  return {
    schema: unquote(schema),
    table: unquote(table),
    column: unquote(column),
    binary: kind.toLowerCase() === 'b',
    row: statement.before ?? {},
  };
}

/** The data, length and 1-based offset of a `LOB_WRITE` row. */
export function parseLobWrite(sqlRedo: string): { data: RedoLiteral; length: number; offset: number } {
  const match = WRITE.exec(sqlRedo);
  if (match === null) throw new Error(`not a LOB write: ${sqlRedo.slice(0, 200)}`);
  const [, literal = '', length = '0', offset = '1'] = match;
  const data = parseSqlRedo(`insert into "S"."T"("V") values (${literal});`).after?.V ?? { form: 'null' };
  return { data, length: Number(length), offset: Number(offset) };
}

/** The new length of a `LOB_TRIM` row. */
export function parseLobTrim(sqlRedo: string): number {
  const match = TRIM.exec(sqlRedo);
  if (match === null) throw new Error(`not a LOB trim: ${sqlRedo.slice(0, 200)}`);
  return Number(match[1]);
}

/**
 * A LOB value as its writes build it: each write puts its data at its offset (overwriting,
 * or extending with the gap filled by spaces for text and zero bytes for binary), a trim cuts it.
 * Binary values grow by doubling and text appended at its end is concatenated, so a value written
 * in many chunks is not copied whole at each one.
 */
export class LobValue {
  private text = '';
  private bytes = Buffer.alloc(0);
  /** The binary value's length: `bytes` beyond it is spare room. */
  private size = 0;

  constructor(readonly binary: boolean) {}

  write(data: string | Buffer, offset: number): void {
    const at = offset - 1;
    if (this.binary) {
      const chunk = Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8');
      const end = at + chunk.length;
      if (end > this.bytes.length) {
        const next = Buffer.alloc(Math.max(end, this.bytes.length * 2));
        this.bytes.copy(next, 0, 0, this.size);
        this.bytes = next;
      }
      if (at > this.size) this.bytes.fill(0, this.size, at);
      chunk.copy(this.bytes, at);
      this.size = Math.max(this.size, end);
      return;
    }
    const chunk = Buffer.isBuffer(data) ? data.toString('utf8') : data;
    if (at === this.text.length) {
      this.text += chunk;
      return;
    }
    const base = this.text.length < at ? this.text.padEnd(at, ' ') : this.text;
    this.text = base.slice(0, at) + chunk + base.slice(at + chunk.length);
  }

  trim(length: number): void {
    if (this.binary) this.size = Math.min(this.size, length);
    else this.text = this.text.slice(0, length);
  }

  value(): string | Buffer {
    return this.binary ? this.bytes.subarray(0, this.size) : this.text;
  }
}
