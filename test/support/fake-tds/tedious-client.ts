import { Connection, type ConnectionConfiguration, Request } from 'tedious';

/** Options for a tedious connection to the fake, merged over plain-text defaults. */
export type TediousOptions = NonNullable<ConnectionConfiguration['options']>;

/** Login errors tedious reported through its `errorMessage` event (it keeps only the message). */
export interface LoginMessages {
  readonly numbers: number[];
}

/** Connects the real tedious driver to the fake; rejects with tedious' error (numbers in `messages`). */
export async function connectTedious(
  port: number,
  options: TediousOptions = {},
  auth: { user?: string; password?: string } = {},
): Promise<{ connection: Connection; messages: LoginMessages }> {
  const connection = new Connection({
    server: '127.0.0.1',
    authentication: {
      type: 'default',
      options: { userName: auth.user ?? 'tributary', password: auth.password ?? 'secret' },
    },
    options: { port, encrypt: false, database: 'testDB', connectTimeout: 5000, ...options },
  });
  const messages: LoginMessages = { numbers: [] };
  connection.on('errorMessage', (token) => messages.numbers.push(token.number));
  await new Promise<void>((resolve, reject) => {
    connection.connect((error) => (error ? reject(Object.assign(error, { messages })) : resolve()));
  });
  return { connection, messages };
}

/** Rows as objects keyed by column name, per result set, from `execSql`/`execSqlBatch`. */
export async function query(
  connection: Connection,
  sql: string,
  options: { batch?: boolean; setup?: (request: Request) => void } = {},
): Promise<Array<Array<Record<string, unknown>>>> {
  const sets: Array<Array<Record<string, unknown>>> = [];
  let rows: Array<Record<string, unknown>> | undefined;
  await new Promise<void>((resolve, reject) => {
    const request = new Request(sql, (error) => (error ? reject(error) : resolve()));
    request.on('columnMetadata', () => {
      rows = [];
      sets.push(rows);
    });
    request.on('row', (columns: Array<{ metadata: { colName: string }; value: unknown }>) => {
      rows?.push(Object.fromEntries(columns.map((c) => [c.metadata.colName, c.value])));
    });
    options.setup?.(request);
    if (options.batch) connection.execSqlBatch(request);
    else connection.execSql(request);
  });
  return sets;
}

/** Closes a tedious connection and waits for its end. */
export async function closeTedious(connection: Connection): Promise<void> {
  await new Promise<void>((resolve) => {
    connection.once('end', () => resolve());
    connection.close();
  });
}
