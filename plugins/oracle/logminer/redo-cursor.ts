import { RedoParseError } from './redo-errors.js';

const WORD_CHAR = /[A-Za-z0-9_$#]/;

/**
 * A single-pass scanner over one SQL_REDO statement: whitespace, `/* … *\/` comments, keywords
 * (case-insensitive, whole words), quoted identifiers (`""` is one quote) and quoted strings
 * (`''` is one quote). Every read either consumes what it names or throws `RedoParseError`
 * pointing at the position.
 */
export class RedoCursor {
  position = 0;

  constructor(readonly text: string) {}

  /** Skips whitespace and block comments (LogMiner writes `/* JSON *\/` before some values). */
  skipSpace(): void {
    for (;;) {
      while (this.position < this.text.length && /\s/.test(this.text[this.position] as string))
        this.position++;
      if (!this.text.startsWith('/*', this.position)) return;
      const end = this.text.indexOf('*/', this.position + 2);
      if (end < 0) this.fail('unterminated comment');
      this.position = end + 2;
    }
  }

  atEnd(): boolean {
    this.skipSpace();
    return this.position >= this.text.length;
  }

  /** The next character after whitespace, without consuming it ('' at the end). */
  peek(): string {
    this.skipSpace();
    return this.text[this.position] ?? '';
  }

  /** Consumes `token` (punctuation such as `(` or `||`) when it comes next. */
  accept(token: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(token, this.position)) return false;
    this.position += token.length;
    return true;
  }

  expect(token: string): void {
    if (!this.accept(token)) this.fail(`expected "${token}"`);
  }

  /** Whether the whole word `word` (case-insensitive) comes next, without consuming it. */
  sees(word: string): boolean {
    this.skipSpace();
    const end = this.position + word.length;
    if (this.text.slice(this.position, end).toLowerCase() !== word.toLowerCase()) return false;
    return !WORD_CHAR.test(this.text[end] ?? '');
  }

  /** Consumes the words (separated by whitespace) when they all come next. */
  acceptWords(...words: string[]): boolean {
    const start = this.position;
    for (const word of words) {
      if (!this.sees(word)) {
        this.position = start;
        return false;
      }
      this.position += word.length;
    }
    return true;
  }

  expectWords(...words: string[]): void {
    if (!this.acceptWords(...words)) this.fail(`expected ${words.join(' ')}`);
  }

  /** An unquoted word (letters, digits, `_ $ #`), or null when none comes next. */
  readWord(): string | null {
    this.skipSpace();
    const start = this.position;
    while (this.position < this.text.length && WORD_CHAR.test(this.text[this.position] as string))
      this.position++;
    return this.position > start ? this.text.slice(start, this.position) : null;
  }

  /** A `"quoted"` identifier, `""` undone. */
  readQuotedIdentifier(): string {
    if (this.peek() !== '"') this.fail('expected a quoted identifier');
    return this.readQuoted('"', 'identifier');
  }

  /** A `'quoted'` string, `''` undone. */
  readString(): string {
    if (this.peek() !== "'") this.fail('expected a quoted string');
    return this.readQuoted("'", 'string');
  }

  fail(message: string): never {
    throw new RedoParseError(message, this.position, this.text);
  }

  private readQuoted(quote: string, what: string): string {
    const start = this.position;
    let value = '';
    let from = start + 1;
    for (;;) {
      const close = this.text.indexOf(quote, from);
      if (close < 0) {
        this.position = start;
        this.fail(`unterminated quoted ${what}`);
      }
      value += this.text.slice(from, close);
      if (this.text[close + 1] === quote) {
        value += quote;
        from = close + 2;
        continue;
      }
      this.position = close + 1;
      return value;
    }
  }
}
