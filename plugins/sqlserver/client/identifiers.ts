/** A T-SQL identifier quoted with brackets (`]` doubled). */
export function quote(name: string): string {
  return `[${name.replaceAll(']', ']]')}]`;
}

/** `[schema].[table]`. */
export function quoteTable(schema: string, name: string): string {
  return `${quote(schema)}.${quote(name)}`;
}
