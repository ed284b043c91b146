import type pg from 'pg';

/** Runs one statement with its values as parameters and returns the rows. */
export type Sql = <R extends pg.QueryResultRow = pg.QueryResultRow>(
  text: string,
  values?: readonly unknown[],
) => Promise<R[]>;

/** A `Sql` over a pool or a client. */
export function sqlOver(queryable: Pick<pg.Pool, 'query'>): Sql {
  return async <R extends pg.QueryResultRow>(text: string, values?: readonly unknown[]) => {
    const result = await queryable.query<R>(text, values === undefined ? undefined : [...values]);
    return result.rows;
  };
}
