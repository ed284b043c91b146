/**
 * Decodes the argument of Oracle's `UNISTR`: `\XXXX` is one UTF-16 code unit (so a surrogate pair
 * is two escapes, `\D83D\DE00`), `\\` is a backslash, any other character stands for itself.
 * Throws `Error` on a backslash followed by neither four hex digits nor a backslash.
 */
export function decodeUnistr(text: string): string {
  let decoded = '';
  let from = 0;
  for (;;) {
    const slash = text.indexOf('\\', from);
    if (slash < 0) return decoded + text.slice(from);
    decoded += text.slice(from, slash);
    if (text[slash + 1] === '\\') {
      decoded += '\\';
      from = slash + 2;
      continue;
    }
    const hex = text.slice(slash + 1, slash + 5);
    if (!/^[0-9A-Fa-f]{4}$/.test(hex))
      throw new Error(`bad UNISTR escape ${JSON.stringify(text.slice(slash, slash + 5))}`);
    decoded += String.fromCharCode(Number.parseInt(hex, 16));
    from = slash + 5;
  }
}

/** The inverse of `decodeUnistr`: every character outside printable ASCII (and `\`) escaped. */
export function encodeUnistr(text: string): string {
  let encoded = '';
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit === 0x5c) encoded += '\\\\';
    else if (unit >= 0x20 && unit < 0x7f) encoded += text[index];
    else encoded += `\\${unit.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return encoded;
}
