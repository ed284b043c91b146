/**
 * Decodes pgoutput messages (protocol version 1, PostgreSQL's logical replication format) with
 * column values kept as the text PostgreSQL sent. pg-logical-replication's own parser runs values
 * through the driver's global type parsers and fills unchanged-TOAST columns from the old row, so
 * this plugin decodes the messages itself.
 */

/** A column value as sent: text, SQL NULL, or a TOASTed value the UPDATE left unchanged. */
export type TupleValue = string | null | typeof UNCHANGED_TOAST;
export const UNCHANGED_TOAST: unique symbol = Symbol('unchanged TOAST value');

/** Values in the relation's column order. */
export type Tuple = readonly TupleValue[];

export interface RelationColumnMessage {
  /** Part of the replica identity (the primary key for REPLICA IDENTITY DEFAULT). */
  readonly isKey: boolean;
  readonly name: string;
  readonly typeOid: number;
  readonly typmod: number;
}

export interface RelationMessage {
  readonly tag: 'relation';
  readonly oid: number;
  readonly schema: string;
  readonly name: string;
  readonly replicaIdentity: string;
  readonly columns: readonly RelationColumnMessage[];
}

export type PgoutputMessage =
  | { readonly tag: 'begin'; readonly finalLsn: bigint; readonly commitTime: Date; readonly xid: number }
  | {
      readonly tag: 'commit';
      readonly commitLsn: bigint;
      readonly endLsn: bigint;
      readonly commitTime: Date;
    }
  | RelationMessage
  | { readonly tag: 'insert'; readonly relation: number; readonly after: Tuple }
  | {
      readonly tag: 'update';
      readonly relation: number;
      readonly key?: Tuple;
      readonly old?: Tuple;
      readonly after: Tuple;
    }
  | { readonly tag: 'delete'; readonly relation: number; readonly key?: Tuple; readonly old?: Tuple }
  | { readonly tag: 'truncate'; readonly relations: readonly number[] }
  | {
      readonly tag: 'message';
      /** Emitted with `pg_logical_emit_message(true, …)`: part of its transaction. */
      readonly transactional: boolean;
      readonly prefix: string;
      readonly content: string;
    }
  | { readonly tag: 'ignored'; readonly type: string };

/** Milliseconds from the Unix epoch to PostgreSQL's (2000-01-01 UTC). */
const POSTGRES_EPOCH_MS = 946_684_800_000;

class Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  byte(): number {
    return this.buffer.readUInt8(this.offset++);
  }

  int16(): number {
    const value = this.buffer.readInt16BE(this.offset);
    this.offset += 2;
    return value;
  }

  int32(): number {
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  uint32(): number {
    const value = this.buffer.readUInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  lsn(): bigint {
    const value = this.buffer.readBigUInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  time(): Date {
    const micros = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return new Date(POSTGRES_EPOCH_MS + Number(micros / 1000n));
  }

  string(): string {
    const end = this.buffer.indexOf(0, this.offset);
    if (end < 0) throw new Error('pgoutput: unterminated string');
    const value = this.buffer.toString('utf8', this.offset, end);
    this.offset = end + 1;
    return value;
  }

  text(length: number): string {
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }
}

export function decodePgoutput(buffer: Buffer): PgoutputMessage {
  const reader = new Reader(buffer);
  const tag = String.fromCharCode(reader.byte());
  switch (tag) {
    case 'B':
      return { tag: 'begin', finalLsn: reader.lsn(), commitTime: reader.time(), xid: reader.uint32() };
    case 'C':
      reader.byte();
      return { tag: 'commit', commitLsn: reader.lsn(), endLsn: reader.lsn(), commitTime: reader.time() };
    case 'R':
      return relation(reader);
    case 'I':
      return insert(reader);
    case 'U':
      return update(reader);
    case 'D':
      return remove(reader);
    case 'T':
      return truncate(reader);
    case 'M':
      return logicalMessage(reader);
    case 'O':
    case 'Y':
      return { tag: 'ignored', type: tag };
    default:
      throw new Error(`pgoutput: unknown message type ${JSON.stringify(tag)}`);
  }
}

function relation(reader: Reader): RelationMessage {
  const oid = reader.uint32();
  const schema = reader.string();
  const name = reader.string();
  const replicaIdentity = String.fromCharCode(reader.byte());
  const count = reader.int16();
  const columns: RelationColumnMessage[] = [];
  for (let index = 0; index < count; index++) {
    const flags = reader.byte();
    columns.push({
      isKey: (flags & 1) === 1,
      name: reader.string(),
      typeOid: reader.uint32(),
      typmod: reader.int32(),
    });
  }
  return { tag: 'relation', oid, schema, name, replicaIdentity, columns };
}

function insert(reader: Reader): PgoutputMessage {
  const relation = reader.uint32();
  expectKind(reader, 'N');
  return { tag: 'insert', relation, after: tuple(reader) };
}

function update(reader: Reader): PgoutputMessage {
  const relation = reader.uint32();
  let kind = String.fromCharCode(reader.byte());
  let key: Tuple | undefined;
  let old: Tuple | undefined;
  if (kind === 'K') key = tuple(reader);
  if (kind === 'O') old = tuple(reader);
  if (kind !== 'N') kind = String.fromCharCode(reader.byte());
  if (kind !== 'N')
    throw new Error(`pgoutput: expected a new tuple in an update, got ${JSON.stringify(kind)}`);
  return { tag: 'update', relation, ...(key && { key }), ...(old && { old }), after: tuple(reader) };
}

function remove(reader: Reader): PgoutputMessage {
  const relation = reader.uint32();
  const kind = String.fromCharCode(reader.byte());
  if (kind !== 'K' && kind !== 'O')
    throw new Error(`pgoutput: unexpected tuple kind ${JSON.stringify(kind)}`);
  return { tag: 'delete', relation, ...(kind === 'K' ? { key: tuple(reader) } : { old: tuple(reader) }) };
}

function truncate(reader: Reader): PgoutputMessage {
  const count = reader.int32();
  reader.byte();
  const relations: number[] = [];
  for (let index = 0; index < count; index++) relations.push(reader.uint32());
  return { tag: 'truncate', relations };
}

/** A logical decoding message (`messages 'true'`, PostgreSQL 14+): flags, LSN, prefix, content. */
function logicalMessage(reader: Reader): PgoutputMessage {
  const transactional = (reader.byte() & 1) === 1;
  reader.lsn();
  const prefix = reader.string();
  return { tag: 'message', transactional, prefix, content: reader.text(reader.int32()) };
}

function tuple(reader: Reader): Tuple {
  const count = reader.int16();
  const values: TupleValue[] = [];
  for (let index = 0; index < count; index++) {
    const kind = String.fromCharCode(reader.byte());
    if (kind === 'n') values.push(null);
    else if (kind === 'u') values.push(UNCHANGED_TOAST);
    else if (kind === 't') values.push(reader.text(reader.int32()));
    else throw new Error(`pgoutput: unsupported column value kind ${JSON.stringify(kind)}`);
  }
  return values;
}

function expectKind(reader: Reader, kind: string): void {
  const found = String.fromCharCode(reader.byte());
  if (found !== kind) throw new Error(`pgoutput: expected ${kind}, got ${JSON.stringify(found)}`);
}
