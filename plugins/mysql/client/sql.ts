/** Runs one statement with `?` placeholders and returns its rows as plain objects. */
export type Sql = <R extends Record<string, unknown> = Record<string, unknown>>(
  text: string,
  values?: readonly unknown[],
) => Promise<R[]>;

/** Something that answers `query(text, values)` the way mysql2/promise does. */
export interface Queryable {
  query(text: string, values?: unknown): Promise<[unknown, unknown]>;
}

export function sqlOver(target: Queryable): Sql {
  return async <R>(text: string, values: readonly unknown[] = []) => {
    const [rows] = await target.query(text, values as unknown[]);
    return (Array.isArray(rows) ? rows : []) as R[];
  };
}
