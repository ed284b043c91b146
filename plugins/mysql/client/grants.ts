import type { ServerFlavor } from './server-flavor.js';
import type { Sql } from './sql.js';

/** One line of `SHOW GRANTS` that gives (or, with MySQL's partial revokes, takes) privileges. */
export interface Grant {
  /** `*.*`, `db.*`, `db.table`, a stored routine, or a PROXY grant. */
  readonly level: 'global' | 'database' | 'table' | 'routine' | 'proxy';
  /** Upper-case names as printed (`SELECT`, `REPLICATION SLAVE`, `ALL PRIVILEGES`, `BINLOG_ADMIN`). */
  readonly privileges: readonly Privilege[];
  /** As printed, unquoted; at database level a LIKE pattern (`my\_db`, `app%`). Null at `*.*`. */
  readonly database: string | null;
  readonly table: string | null;
  /** A `REVOKE … FROM` line (MySQL with `partial_revokes`): the privileges are withheld. */
  readonly revoke: boolean;
}

export interface Privilege {
  readonly name: string;
  /** The columns of a column-level privilege (`SELECT (`id`)`); null for the whole object. */
  readonly columns: readonly string[] | null;
}

/** What `SHOW GRANTS` says about one account: its privilege lines and the roles granted to it. */
export interface GrantSet {
  readonly grants: readonly Grant[];
  /** Role names as printed, unquoted: `r1` (MariaDB), `r1@%` (MySQL). */
  readonly roles: readonly string[];
}

/**
 * Reads the session account's grants, including those of its active roles: MariaDB's plain `SHOW
 * GRANTS` lists the current role's grants too; MySQL 8 needs `SHOW GRANTS … USING` the roles that
 * `CURRENT_ROLE()` names (`NONE` when there are none).
 */
export async function readGrants(sql: Sql, flavor: ServerFlavor): Promise<GrantSet> {
  let statement = flavor.kind === 'mysql' ? 'SHOW GRANTS FOR CURRENT_USER()' : 'SHOW GRANTS';
  if (flavor.kind === 'mysql' && flavor.major >= 8) {
    const [row] = await sql<{ roles: string | null }>('SELECT CURRENT_ROLE() AS roles');
    const roles = row?.roles ?? 'NONE';
    if (roles !== 'NONE' && roles !== '') statement += ` USING ${roles}`;
  }
  const rows = await sql(statement);
  return parseGrants(rows.map((row) => String(Object.values(row)[0] ?? '')));
}

/** Parses `SHOW GRANTS` lines; lines it does not understand (`SET DEFAULT ROLE …`) are skipped. */
export function parseGrants(lines: readonly string[]): GrantSet {
  const grants: Grant[] = [];
  const roles: string[] = [];
  for (const line of lines) {
    const parsed = parseGrantLine(line);
    if (parsed === null) continue;
    if ('roles' in parsed) roles.push(...parsed.roles);
    else grants.push(parsed);
  }
  return { grants, roles };
}

/** `name`: backtick or quote delimited, unescaped; `word`: bare, as written; `punct`: one character. */
type Token = { readonly kind: 'name' | 'word' | 'punct'; readonly text: string };

/** One `GRANT`/`REVOKE` line: a privilege grant, a role grant, or null for anything else. */
export function parseGrantLine(line: string): Grant | { readonly roles: readonly string[] } | null {
  const tokens = tokenize(line);
  const verb = tokens[0]?.kind === 'word' ? tokens[0].text.toUpperCase() : '';
  if (verb !== 'GRANT' && verb !== 'REVOKE') return null;
  const revoke = verb === 'REVOKE';
  const end = topLevelIndex(tokens, (token) => isWord(token, revoke ? 'FROM' : 'TO'));
  const on = topLevelIndex(tokens, (token) => isWord(token, 'ON'));
  if (end < 0) return null;
  if (on < 0 || on > end) return revoke ? null : { roles: roleNames(tokens.slice(1, end)) };
  const privileges = splitTopLevel(tokens.slice(1, on)).map(privilege);
  return { ...grantObject(tokens.slice(on + 1, end)), privileges, revoke };
}

function grantObject(tokens: readonly Token[]): Pick<Grant, 'level' | 'database' | 'table'> {
  let rest = tokens;
  let routine = false;
  for (
    let keyword = rest[0];
    keyword !== undefined && OBJECT_KEYWORDS.has(upperWord(keyword));
    keyword = rest[0]
  ) {
    routine ||= upperWord(keyword) !== 'TABLE';
    rest = rest.slice(1);
  }
  if (rest.some((token) => isPunct(token, '@'))) return { level: 'proxy', database: null, table: null };
  const dot = rest.findIndex((token) => isPunct(token, '.'));
  const first = dot < 0 ? undefined : rest[dot - 1];
  const last = rest[dot < 0 ? 0 : dot + 1];
  const database = first === undefined || isPunct(first, '*') ? null : first.text;
  const table = last === undefined || isPunct(last, '*') ? null : last.text;
  if (routine) return { level: 'routine', database, table };
  if (table !== null) return { level: 'table', database, table };
  return { level: database === null ? 'global' : 'database', database, table: null };
}

const OBJECT_KEYWORDS = new Set(['PROCEDURE', 'FUNCTION', 'PACKAGE', 'BODY', 'TABLE']);

function privilege(tokens: readonly Token[]): Privilege {
  const open = tokens.findIndex((token) => isPunct(token, '('));
  const words = (open < 0 ? tokens : tokens.slice(0, open)).map((token) => token.text.toUpperCase());
  const columns =
    open < 0
      ? null
      : tokens.slice(open + 1).filter((token) => token.kind === 'name' || token.kind === 'word');
  return { name: words.join(' '), columns: columns?.map((token) => token.text) ?? null };
}

function roleNames(tokens: readonly Token[]): string[] {
  return splitTopLevel(tokens).map((role) => role.map((token) => token.text).join(''));
}

function isWord(token: Token, word: string): boolean {
  return upperWord(token) === word;
}

function upperWord(token: Token): string {
  return token.kind === 'word' ? token.text.toUpperCase() : '';
}

function isPunct(token: Token, char: string): boolean {
  return token.kind === 'punct' && token.text === char;
}

/** Index of the first token outside parentheses that `test` accepts, or -1. */
function topLevelIndex(tokens: readonly Token[], test: (token: Token) => boolean): number {
  let depth = 0;
  for (const [index, token] of tokens.entries()) {
    if (isPunct(token, '(')) depth++;
    else if (isPunct(token, ')')) depth--;
    else if (depth === 0 && test(token)) return index;
  }
  return -1;
}

function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, '(')) depth++;
    if (isPunct(token, ')')) depth--;
    if (depth === 0 && isPunct(token, ',')) parts.push([]);
    else parts.at(-1)?.push(token);
  }
  return parts.filter((part) => part.length > 0);
}

/** Splits a line into tokens; inside backticks `\` is kept, as it belongs to LIKE patterns. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const char = line.charAt(i);
    if (/\s/.test(char)) {
      i++;
    } else if (char === '`' || char === "'" || char === '"') {
      let text = '';
      i++;
      while (i < line.length) {
        const c = line.charAt(i);
        if (c === char && line.charAt(i + 1) === char) {
          text += char;
          i += 2;
        } else if (c === char) {
          i++;
          break;
        } else if (c === '\\' && char !== '`' && i + 1 < line.length) {
          text += line.charAt(i + 1) === char ? char : line.slice(i, i + 2);
          i += 2;
        } else {
          text += c;
          i++;
        }
      }
      tokens.push({ kind: 'name', text });
    } else if (/[A-Za-z0-9_$]/.test(char)) {
      const word = /^[A-Za-z0-9_$]+/.exec(line.slice(i))?.[0] ?? char;
      tokens.push({ kind: 'word', text: word });
      i += word.length;
    } else {
      tokens.push({ kind: 'punct', text: char });
      i++;
    }
  }
  return tokens;
}

/** How the server compares names in grants. */
export interface GrantMatching {
  /** MySQL with `partial_revokes` ON reads `_` and `%` in database grants literally. */
  readonly literalDatabaseNames: boolean;
  /** `lower_case_table_names` is not 0: database and table names compare case-insensitively. */
  readonly caseInsensitive: boolean;
}

/**
 * Answers privilege questions from a `GrantSet`: a privilege counts when a grant names it (or `ALL
 * [PRIVILEGES]`) for the whole object; column-level privileges never count for a table; partial
 * revokes withhold global privileges from a database. Database grants are patterns (`%`, `_`, `\`
 * escapes); overlapping patterns are combined.
 */
export class AccountPrivileges {
  constructor(
    private readonly set: GrantSet,
    private readonly matching: GrantMatching = { literalDatabaseNames: false, caseInsensitive: false },
  ) {}

  /** Whether a `*.*` grant gives any of `names`. */
  hasGlobal(...names: string[]): boolean {
    return this.set.grants.some((grant) => grant.level === 'global' && !grant.revoke && gives(grant, names));
  }

  /** Whether the account may read every table of `database`, present and future. */
  canSelectDatabase(database: string): boolean {
    const revoked = this.set.grants.some(
      (grant) =>
        grant.revoke &&
        grant.level === 'database' &&
        this.sameName(unescapeLike(grant.database ?? ''), database) &&
        gives(grant, ['SELECT']),
    );
    return (
      (this.hasGlobal('SELECT') && !revoked) ||
      this.set.grants.some(
        (grant) =>
          grant.level === 'database' &&
          !grant.revoke &&
          this.databaseMatches(grant.database ?? '', database) &&
          gives(grant, ['SELECT']),
      )
    );
  }

  canSelectTable(database: string, table: string): boolean {
    return (
      this.canSelectDatabase(database) ||
      this.selectableTables(database).some((name) => this.sameName(name, table))
    );
  }

  /** Tables of `database` with a table-level SELECT grant. */
  selectableTables(database: string): string[] {
    return this.set.grants
      .filter(
        (grant) =>
          grant.level === 'table' &&
          !grant.revoke &&
          this.sameName(grant.database ?? '', database) &&
          gives(grant, ['SELECT']),
      )
      .map((grant) => grant.table ?? '');
  }

  private databaseMatches(pattern: string, database: string): boolean {
    if (this.matching.literalDatabaseNames) return this.sameName(unescapeLike(pattern), database);
    return likePattern(pattern, this.matching.caseInsensitive).test(database);
  }

  private sameName(a: string, b: string): boolean {
    return this.matching.caseInsensitive ? a.toLowerCase() === b.toLowerCase() : a === b;
  }
}

function gives(grant: Grant, names: readonly string[]): boolean {
  return grant.privileges.some(
    (privilege) =>
      privilege.columns === null &&
      (names.includes(privilege.name) || privilege.name === 'ALL PRIVILEGES' || privilege.name === 'ALL'),
  );
}

/** A database grant's LIKE pattern as a regular expression. */
function likePattern(pattern: string, caseInsensitive: boolean): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern.charAt(i);
    if (char === '\\' && i + 1 < pattern.length) source += escapeRegExp(pattern.charAt(++i));
    else if (char === '%') source += '.*';
    else if (char === '_') source += '.';
    else source += escapeRegExp(char);
  }
  return new RegExp(`^${source}$`, caseInsensitive ? 'is' : 's');
}

function unescapeLike(pattern: string): string {
  return pattern.replace(/\\(.)/g, '$1');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
