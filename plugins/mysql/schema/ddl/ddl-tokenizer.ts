/**
 * Splits a MySQL/MariaDB statement into tokens for the DDL parser. Comments are dropped, except
 * the content of executable comments (`/*!50100 ... *\/`, MariaDB's `/*M!100100 ... *\/`), which
 * the server runs and so is kept. The tokenizer never throws: an unterminated string or quoted
 * name simply runs to the end of the statement.
 */

/**
 * - `word`: an unquoted identifier or keyword (`upper` holds it upper-cased for keyword tests; it
 *   is empty for every other kind, so a quoted name never passes for a keyword);
 * - `quoted`: a `` `backticked` `` identifier, `value` unescaped;
 * - `string`: a `'single-quoted'` or `"double-quoted"` literal, `value` unescaped (`quote` tells
 *   which: double-quoted strings also serve as identifiers, as under `ANSI_QUOTES`);
 * - `number`: a numeric literal;
 * - `symbol`: one punctuation character.
 */
export interface Token {
  readonly kind: 'word' | 'quoted' | 'string' | 'number' | 'symbol';
  readonly value: string;
  readonly upper: string;
  /** The quote character of a `quoted` or `string` token; empty otherwise. */
  readonly quote: string;
}

const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const NUMBER = /^\d+(?:\.\d*)?(?:[eE][+-]?\d+)?/;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  b: '\b',
  '0': '\0',
  Z: '\x1a',
};

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let versioned = false;
  let i = 0;
  const rest = (prefix: string) => text.startsWith(prefix, i);
  while (i < text.length) {
    const char = text.charAt(i);
    if (/\s/.test(char)) i += 1;
    else if (rest('/*!') || rest('/*M!')) {
      i = text.indexOf('!', i) + 1;
      i += /^\d{0,6}/.exec(text.slice(i, i + 6))?.[0].length ?? 0;
      versioned = true;
    } else if (versioned && rest('*/')) {
      versioned = false;
      i += 2;
    } else if (rest('/*')) i = endOf(text, '*/', i + 2);
    else if (char === '#' || (rest('--') && /^(\s|$)/.test(text.charAt(i + 2)))) i = endOf(text, '\n', i);
    else if (char === '`' || char === '"' || char === "'") {
      const [value, end] = quoted(text, i);
      tokens.push(token(char === '`' ? 'quoted' : 'string', value, char));
      i = end;
    } else if (WORD_CHAR.test(char)) i = word(text, i, tokens);
    else {
      tokens.push(token('symbol', char));
      i += 1;
    }
  }
  return tokens;
}

function token(kind: Token['kind'], value: string, quote = ''): Token {
  return { kind, value, upper: kind === 'word' ? value.toUpperCase() : '', quote };
}

/** The index just after `terminator` (or the end of the text). */
function endOf(text: string, terminator: string, from: number): number {
  const at = text.indexOf(terminator, from);
  return at < 0 ? text.length : at + terminator.length;
}

/** Reads a number, or a word (which may start with digits: `1st_column`, `0x1F`). */
function word(text: string, start: number, tokens: Token[]): number {
  const number = NUMBER.exec(text.slice(start))?.[0] ?? '';
  let end = start + number.length;
  if (number !== '' && !WORD_CHAR.test(text.charAt(end))) {
    tokens.push(token('number', number));
    return end;
  }
  end = start;
  while (end < text.length && WORD_CHAR.test(text.charAt(end))) end += 1;
  tokens.push(token('word', text.slice(start, end)));
  return end;
}

/** Reads a quoted string or name starting at `start`; doubled quotes and backslash escapes unescaped. */
function quoted(text: string, start: number): [string, number] {
  const quote = text.charAt(start);
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === quote) {
      if (text.charAt(i + 1) !== quote) return [value, i + 1];
      value += quote;
      i += 2;
    } else if (char === '\\' && quote !== '`' && i + 1 < text.length) {
      const next = text.charAt(i + 1);
      value += ESCAPES[next] ?? (next === '%' || next === '_' ? `\\${next}` : next);
      i += 2;
    } else {
      value += char;
      i += 1;
    }
  }
  return [value, i];
}
