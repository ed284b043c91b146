import { canonicalDataType } from '../column-types.js';
import type { TokenCursor } from './ddl-cursor.js';

/** A column definition as a CREATE or ALTER TABLE statement writes it. */
export interface ColumnDefinition {
  readonly name: string;
  /** The base type with synonyms resolved (`integer` → `int`, `serial` → `bigint`); `json` stays `json`. */
  readonly dataType: string;
  /** The type's arguments: sizes as written (`10`, `2`), or the values of an enum/set. */
  readonly args: readonly string[];
  readonly unsigned: boolean;
  /** The column's character set when the definition names one (directly or through COLLATE). */
  readonly charset: string | null;
  /** NOT NULL, AUTO_INCREMENT, PRIMARY KEY and SERIAL all make a column NOT NULL. */
  readonly nullable: boolean;
  readonly autoIncrement: boolean;
  /** Declared PRIMARY KEY (or just KEY) in the column definition. */
  readonly primaryKey: boolean;
  /** JSON, or MariaDB's spelling of it: a column CHECK (json_valid(col)). */
  readonly json: boolean;
}

/** Multi-word type names, longest first, with the base type MySQL stores for them. */
const MULTI_WORD_TYPES: readonly (readonly [readonly string[], string])[] = [
  [['NATIONAL', 'CHARACTER', 'VARYING'], 'varchar'],
  [['NATIONAL', 'CHAR', 'VARYING'], 'varchar'],
  [['NATIONAL', 'CHARACTER'], 'char'],
  [['NATIONAL', 'CHAR'], 'char'],
  [['NATIONAL', 'VARCHAR'], 'varchar'],
  [['NCHAR', 'VARYING'], 'varchar'],
  [['NCHAR', 'VARCHAR'], 'varchar'],
  [['CHARACTER', 'VARYING'], 'varchar'],
  [['CHAR', 'VARYING'], 'varchar'],
  [['DOUBLE', 'PRECISION'], 'double'],
  [['LONG', 'VARBINARY'], 'mediumblob'],
  [['LONG', 'CHAR', 'VARYING'], 'mediumtext'],
  [['LONG', 'VARCHAR'], 'mediumtext'],
];

/** Where a column definition ends: the next item, the end of the list, or an ALTER placement. */
const TERMINATORS = new Set(['FIRST', 'AFTER']);

interface Attributes {
  unsigned: boolean;
  charset: string | null;
  notNull: boolean;
  autoIncrement: boolean;
  primaryKey: boolean;
  json: boolean;
}

/** Reads `name type [attributes...]` up to the next `,`, `)`, FIRST/AFTER or the end. */
export function parseColumnDefinition(cursor: TokenCursor): ColumnDefinition {
  const name = cursor.identifier();
  const written = typeName(cursor);
  const args = cursor.isSymbol('(') ? typeArguments(cursor) : [];
  const serial = written === 'serial';
  const dataType = serial ? 'bigint' : written;
  const attributes: Attributes = {
    unsigned: serial,
    charset: null,
    notNull: serial,
    autoIncrement: serial,
    primaryKey: false,
    json: dataType === 'json',
  };
  while (!endOfColumn(cursor)) attribute(cursor, name, attributes);
  const { unsigned, charset, notNull, autoIncrement, primaryKey, json } = attributes;
  const nullable = !(notNull || autoIncrement || primaryKey);
  return { name, dataType, args, unsigned, charset, nullable, autoIncrement, primaryKey, json };
}

function endOfColumn(cursor: TokenCursor): boolean {
  return cursor.atEnd() || cursor.isSymbol(',') || cursor.isSymbol(')') || cursor.isAnyWord(TERMINATORS);
}

function typeName(cursor: TokenCursor): string {
  for (const [words, type] of MULTI_WORD_TYPES) if (cursor.acceptWord(...words)) return type;
  const token = cursor.next();
  if (token.kind !== 'word') cursor.fail(`expected a column type, found ${token.value}`);
  return canonicalDataType(token.value);
}

/** `(10)`, `(10, 2)` or an enum/set's `('a', 'b')`. */
function typeArguments(cursor: TokenCursor): string[] {
  cursor.expectSymbol('(');
  const args: string[] = [];
  while (!cursor.acceptSymbol(')')) {
    const token = cursor.next();
    if (token.kind === 'string' || token.kind === 'number') args.push(token.value);
    else if (token.kind === 'symbol' && token.value !== ',')
      cursor.fail(`unexpected ${token.value} in a type`);
  }
  return args;
}

/** Consumes one attribute (or one token the tracker does not need) and records what matters. */
function attribute(cursor: TokenCursor, column: string, found: Attributes): void {
  if (cursor.acceptWord('NOT', 'NULL')) found.notNull = true;
  else if (cursor.acceptWord('DEFAULT') || cursor.acceptWord('ON', 'UPDATE')) skipExpression(cursor);
  else if (cursor.acceptWord('AUTO_INCREMENT')) found.autoIncrement = true;
  else if (cursor.acceptWord('SERIAL', 'DEFAULT', 'VALUE')) {
    found.notNull = true;
    found.autoIncrement = true;
  } else if (cursor.acceptWord('UNIQUE')) cursor.acceptWord('KEY');
  else if (cursor.acceptWord('PRIMARY', 'KEY') || cursor.acceptWord('KEY')) found.primaryKey = true;
  else if (cursor.acceptWord('UNSIGNED') || cursor.acceptWord('ZEROFILL')) found.unsigned = true;
  else if (cursor.acceptWord('ASCII')) found.charset = 'latin1';
  else if (cursor.acceptWord('UNICODE')) found.charset = 'ucs2';
  else if (acceptCharsetKeyword(cursor)) found.charset = cursor.next().value.toLowerCase();
  else if (cursor.acceptWord('COLLATE')) found.charset ??= charsetOfCollation(cursor.next().value);
  else if (cursor.acceptWord('CONSTRAINT')) {
    if (!cursor.isWord('CHECK')) cursor.identifier();
  } else if (cursor.acceptWord('CHECK')) found.json ||= isJsonValidCheck(cursor, column);
  else if (cursor.acceptWord('REFERENCES')) skipReference(cursor);
  else cursor.skipOne();
}

/** Consumes `CHARACTER SET`, `CHAR SET` or `CHARSET` when next. */
export function acceptCharsetKeyword(cursor: TokenCursor): boolean {
  return (
    cursor.acceptWord('CHARACTER', 'SET') || cursor.acceptWord('CHAR', 'SET') || cursor.acceptWord('CHARSET')
  );
}

function charsetOfCollation(collation: string): string | null {
  const lower = collation.toLowerCase();
  return lower === 'binary' ? null : (lower.split('_')[0] ?? null);
}

/** After CHECK: consumes `(...)`, true when it is exactly `(json_valid(column))`. */
function isJsonValidCheck(cursor: TokenCursor, column: string): boolean {
  const named = cursor.peek(3);
  const json =
    cursor.isSymbol('(') &&
    cursor.wordAt(1) === 'JSON_VALID' &&
    cursor.symbolAt(2) === '(' &&
    (named?.kind === 'word' || named?.kind === 'quoted') &&
    named.value.toLowerCase() === column.toLowerCase() &&
    cursor.symbolAt(4) === ')' &&
    cursor.symbolAt(5) === ')';
  cursor.skipOne();
  return json;
}

/** Skips a DEFAULT / ON UPDATE value: a literal, a function call, or a parenthesised expression. */
function skipExpression(cursor: TokenCursor): void {
  if (cursor.acceptSymbol('-') || cursor.acceptSymbol('+')) {
    skipExpression(cursor);
    return;
  }
  const token = cursor.next();
  if (token.kind === 'symbol' && token.value === '(') {
    while (!cursor.acceptSymbol(')')) cursor.skipOne();
    return;
  }
  if (token.kind !== 'word') return;
  const literalPrefix = /^(X|N|B|DATE|TIME|TIMESTAMP|_.*)$/.test(token.upper);
  if (literalPrefix && cursor.peek()?.kind === 'string') cursor.next();
  else if (cursor.isSymbol('(')) cursor.skipOne();
}

/** `REFERENCES t [(cols)] [MATCH x] [ON DELETE|UPDATE action]...` */
function skipReference(cursor: TokenCursor): void {
  cursor.identifier();
  if (cursor.acceptSymbol('.')) cursor.identifier();
  if (cursor.isSymbol('(')) cursor.skipOne();
  for (;;) {
    if (cursor.acceptWord('MATCH')) cursor.next();
    else if (cursor.acceptWord('ON', 'DELETE') || cursor.acceptWord('ON', 'UPDATE')) {
      if (!cursor.acceptWord('SET', 'NULL') && !cursor.acceptWord('SET', 'DEFAULT')) {
        if (!cursor.acceptWord('NO', 'ACTION')) cursor.next();
      }
    } else return;
  }
}
