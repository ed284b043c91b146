import type { RedoCursor } from './redo-cursor.js';
import type { RedoLiteral } from './redo-literal.js';
import { decodeUnistr } from './unistr.js';

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/;
const FLOAT_SPECIAL = /^-?BINARY_(?:DOUBLE|FLOAT)_(?:NAN|INFINITY)\b/i;

/**
 * Reads one value expression of a SQL_REDO statement at the cursor: a literal, `NULL`,
 * `Unsupported Type`, one of LogMiner's conversion functions with quoted arguments, or quoted
 * strings and `UNISTR(…)` pieces joined with `||`. Stops right after the value; throws
 * `RedoParseError` on anything else (naming an unknown function).
 */
export function readRedoValue(cursor: RedoCursor): RedoLiteral {
  const next = cursor.peek();
  if (next === "'" || cursor.sees('UNISTR')) return readText(cursor);
  if (cursor.acceptWords('NULL')) return { form: 'null' };
  if (cursor.acceptWords('Unsupported', 'Type')) return { form: 'unsupported' };
  const rest = cursor.text.slice(cursor.position);
  const special = FLOAT_SPECIAL.exec(rest)?.[0];
  if (special !== undefined) {
    cursor.position += special.length;
    return { form: 'float-special', text: special.toUpperCase() };
  }
  const number = NUMBER.exec(rest)?.[0];
  if (number !== undefined) {
    cursor.position += number.length;
    return { form: 'number', text: number };
  }
  return readCall(cursor);
}

/** Quoted strings and UNISTR pieces, joined with `||`. */
function readText(cursor: RedoCursor): RedoLiteral {
  let text = '';
  let unistr = false;
  do {
    if (cursor.peek() === "'") {
      text += cursor.readString();
      continue;
    }
    const start = cursor.position;
    const name = cursor.readWord();
    if (name?.toUpperCase() !== 'UNISTR') {
      cursor.position = start;
      cursor.fail('expected a quoted string or UNISTR after ||');
    }
    const args = readArguments(cursor, 'UNISTR');
    if (args.length !== 1) cursor.fail('UNISTR takes one quoted argument');
    try {
      text += decodeUnistr(args[0] as string);
    } catch (error) {
      cursor.fail((error as Error).message);
    }
    unistr = true;
  } while (cursor.accept('||'));
  return { form: unistr ? 'unistr' : 'string', text };
}

/** `NAME('arg', …)` for LogMiner's conversion functions. */
function readCall(cursor: RedoCursor): RedoLiteral {
  const start = cursor.position;
  const name = cursor.readWord()?.toUpperCase();
  if (name === undefined || cursor.peek() !== '(') {
    cursor.position = start;
    cursor.fail('expected a value');
  }
  const args = readArguments(cursor, name);
  const [text, mask] = args;
  const arity = (min: number, max: number): void => {
    if (args.length < min || args.length > max) {
      cursor.position = start;
      cursor.fail(
        `${name} takes ${min === max ? min : `${min} to ${max}`} quoted argument(s), got ${args.length}`,
      );
    }
  };
  switch (name) {
    case 'EMPTY_CLOB':
    case 'EMPTY_BLOB':
      arity(0, 0);
      return { form: name === 'EMPTY_CLOB' ? 'empty-clob' : 'empty-blob' };
    case 'HEXTORAW':
      arity(1, 1);
      return { form: 'hex', text: text as string };
    case 'TO_DSINTERVAL':
    case 'TO_YMINTERVAL':
      arity(1, 1);
      return { form: name === 'TO_DSINTERVAL' ? 'ds-interval' : 'ym-interval', text: text as string };
    case 'TO_DATE':
    case 'TO_TIMESTAMP':
    case 'TO_TIMESTAMP_TZ': {
      arity(1, 2);
      const form = name === 'TO_DATE' ? 'date' : name === 'TO_TIMESTAMP' ? 'timestamp' : 'timestamp-tz';
      return mask === undefined ? { form, text: text as string } : { form, text: text as string, mask };
    }
    default:
      cursor.position = start;
      return cursor.fail(`unknown function ${name} in a value`);
  }
}

/** `( 'a', 'b' )` after a function name: quoted strings only. */
function readArguments(cursor: RedoCursor, name: string): string[] {
  cursor.expect('(');
  const args: string[] = [];
  if (cursor.accept(')')) return args;
  do {
    if (cursor.peek() !== "'") cursor.fail(`${name} arguments must be quoted strings`);
    args.push(cursor.readString());
  } while (cursor.accept(','));
  cursor.expect(')');
  return args;
}
