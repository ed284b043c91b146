/** A MySQL identifier in backticks, with backticks inside doubled. Works for any name. */
export function quoteIdent(name: string): string {
  return `\`${name.replaceAll('`', '``')}\``;
}

/** `db`.`table`. */
export function quoteTable(database: string, name: string): string {
  return `${quoteIdent(database)}.${quoteIdent(name)}`;
}
