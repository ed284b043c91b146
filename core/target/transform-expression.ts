/** The longest transform expression accepted (SynchDB allows 255 characters). */
export const MAX_TRANSFORM_LENGTH = 1_000;

/**
 * A TRANSFORM rule's expression made into SQL over one value, for use inside a set-based
 * statement. Placeholders, as in SynchDB:
 * - `%d` is the value, typed as its destination column (`%d + 1000000` on a number,
 *   `'>>' || %d || '<<'` on text);
 * - `'%d'` (the placeholder alone in a string literal, SynchDB's way to write text) is the value
 *   as text;
 * - `%%` is a literal `%`.
 * Text inside other string literals, quoted identifiers and comments is left alone.
 *
 * @param typed SQL for the value cast to the column's type, e.g. `u.v0::integer`.
 * @param text SQL for the value as text, e.g. `u.v0`.
 */
export function substituteValue(expression: string, typed: string, text: string): string {
  let sql = '';
  for (let at = 0; at < expression.length; ) {
    const char = expression[at];
    if (char === "'" || char === '"') {
      const end = closingQuote(expression, at);
      const literal = expression.slice(at, end);
      sql += literal === "'%d'" ? `(${text})` : literal;
      at = end;
    } else if (char === '-' && expression[at + 1] === '-') {
      const end = expression.indexOf('\n', at);
      sql += expression.slice(at, end < 0 ? expression.length : end);
      at = end < 0 ? expression.length : end;
    } else if (char === '%' && expression[at + 1] === 'd') {
      sql += `(${typed})`;
      at += 2;
    } else if (char === '%' && expression[at + 1] === '%') {
      sql += '%';
      at += 2;
    } else {
      sql += char;
      at += 1;
    }
  }
  return sql;
}

/** The index just after the literal or identifier that opens at `start` (doubled quotes stay inside). */
function closingQuote(text: string, start: number): number {
  const quote = text[start];
  for (let at = start + 1; at < text.length; at++) {
    if (text[at] !== quote) continue;
    if (text[at + 1] === quote) {
      at++;
      continue;
    }
    return at + 1;
  }
  return text.length;
}

/**
 * SQL for one value landing in a column: cast to the column's type, or, with a transform, the
 * transform's result cast to it. NULL is never transformed.
 */
export function valueSql(input: string, type: string, transform: string | null | undefined): string {
  if (!transform) return `${input}::${type}`;
  const expression = substituteValue(transform, `${input}::${type}`, input);
  return `(CASE WHEN ${input} IS NULL THEN NULL ELSE (${expression})::${type} END)`;
}
