import { type Token, tokenize } from './ddl-tokenizer.js';

/** A table name as a statement writes it; `database` is null when the name is unqualified. */
export interface TableName {
  readonly database: string | null;
  readonly name: string;
}

/**
 * A statement that starts like a DDL statement the tracker follows but cannot be understood.
 * `tables` holds the table names read before the parser gave up, so a caller can tell whether the
 * statement concerned its tables at all.
 */
export class DdlParseError extends Error {
  constructor(
    message: string,
    readonly statement: string,
    readonly tables: readonly TableName[],
  ) {
    super(`Cannot understand DDL statement (${message}): ${statement}`);
    this.name = 'DdlParseError';
  }
}

/** Reads a statement's tokens front to back for a recursive-descent parser. */
export class TokenCursor {
  readonly #tokens: readonly Token[];
  #index = 0;
  /** Table names read so far (reported by DdlParseError). */
  readonly tables: TableName[] = [];

  constructor(readonly statement: string) {
    const tokens = tokenize(statement);
    while (tokens.at(-1)?.value === ';' && tokens.at(-1)?.kind === 'symbol') tokens.pop();
    this.#tokens = tokens;
  }

  peek(ahead = 0): Token | undefined {
    return this.#tokens[this.#index + ahead];
  }

  atEnd(): boolean {
    return this.#index >= this.#tokens.length;
  }

  next(): Token {
    const token = this.#tokens[this.#index];
    if (!token) this.fail('unexpected end of statement');
    this.#index += 1;
    return token;
  }

  /** The upper-cased keyword `ahead` tokens on, or '' when that token is not an unquoted word. */
  wordAt(ahead: number): string {
    return this.peek(ahead)?.upper ?? '';
  }

  /** The punctuation character `ahead` tokens on, or '' when that token is not a symbol. */
  symbolAt(ahead: number): string {
    const token = this.peek(ahead);
    return token?.kind === 'symbol' ? token.value : '';
  }

  /** True when the next tokens are these unquoted keywords, in order. */
  isWord(...words: string[]): boolean {
    return words.every((word, ahead) => this.wordAt(ahead) === word);
  }

  /** True when the next token is one of these unquoted keywords. */
  isAnyWord(words: ReadonlySet<string>): boolean {
    return words.has(this.wordAt(0));
  }

  /** Consumes the keywords if the next tokens are exactly these, in order. */
  acceptWord(...words: string[]): boolean {
    if (!this.isWord(...words)) return false;
    this.#index += words.length;
    return true;
  }

  expectWord(word: string): void {
    if (!this.acceptWord(word)) this.fail(`expected ${word}`);
  }

  isSymbol(symbol: string): boolean {
    return this.symbolAt(0) === symbol;
  }

  acceptSymbol(symbol: string): boolean {
    if (!this.isSymbol(symbol)) return false;
    this.#index += 1;
    return true;
  }

  expectSymbol(symbol: string): void {
    if (!this.acceptSymbol(symbol)) this.fail(`expected "${symbol}"`);
  }

  /** An identifier: unquoted, backticked or double-quoted. */
  identifier(): string {
    const token = this.next();
    if (token.kind === 'word' || token.kind === 'quoted' || (token.kind === 'string' && token.quote === '"'))
      return token.value;
    return this.fail(`expected a name, found ${token.value}`);
  }

  /** `name` or `db.name`; recorded in `tables`. */
  tableName(): TableName {
    const first = this.identifier();
    const name = this.acceptSymbol('.')
      ? { database: first, name: this.identifier() }
      : { database: null, name: first };
    this.tables.push(name);
    return name;
  }

  /** Consumes one token, or a whole parenthesised group when the next token is `(`. */
  skipOne(): void {
    if (!this.acceptSymbol('(')) {
      this.next();
      return;
    }
    while (!this.acceptSymbol(')')) this.skipOne();
  }

  /** Skips tokens (and parenthesised groups) up to the next `,` or `)` at this level, or the end. */
  skipItem(): void {
    while (!this.atEnd() && !this.isSymbol(',') && !this.isSymbol(')')) this.skipOne();
  }

  /** Everything left, for CREATE ... SELECT and trailing clauses the tracker ignores. */
  skipRest(): void {
    this.#index = this.#tokens.length;
  }

  fail(message: string): never {
    throw new DdlParseError(message, this.statement, this.tables);
  }
}
