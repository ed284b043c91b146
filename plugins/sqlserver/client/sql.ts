import type { Connection, Request as TediousRequest, TYPES } from 'tedious';

/** A row as an object keyed by column name (values as tedious decodes them). */
export type DriverRow = Record<string, unknown>;

/** A query parameter: its tedious type and value. */
export interface Parameter {
  readonly type: (typeof TYPES)[keyof typeof TYPES];
  readonly value: unknown;
  readonly options?: { length?: number; precision?: number; scale?: number };
}

/** What a query needs from the connection's driver module (tedious, loaded inside `connect`). */
export interface QueryRunner {
  /** Runs one statement (parameters by name, without `@`) and collects its rows. */
  query(
    sql: string,
    params?: Readonly<Record<string, Parameter>>,
    signal?: AbortSignal,
  ): Promise<DriverRow[]>;
  /** Runs a batch of statements without parameters (SET, BEGIN TRAN, COMMIT). */
  batch(sql: string): Promise<DriverRow[]>;
}

/**
 * A QueryRunner on one tedious connection. Requests run one at a time (tedious allows one per
 * connection). A request that receives nothing for `stallTimeoutMs` is cancelled (ATTENTION) and
 * fails: tedious' own `requestTimeout` stops counting at the first reply packet. An aborted
 * `signal` cancels the request, which then throws.
 */
export function queryRunner(
  connection: Connection,
  Request: typeof TediousRequest,
  stallTimeoutMs: number,
): QueryRunner {
  let queue: Promise<unknown> = Promise.resolve();
  const run = (
    sql: string,
    params: Readonly<Record<string, Parameter>>,
    batch: boolean,
    signal?: AbortSignal,
  ) => {
    const next = queue.then(() => execute(connection, Request, sql, params, batch, stallTimeoutMs, signal));
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    query: (sql, params = {}, signal) => run(sql, params, false, signal),
    batch: (sql) => run(sql, {}, true),
  };
}

function execute(
  connection: Connection,
  Request: typeof TediousRequest,
  sql: string,
  params: Readonly<Record<string, Parameter>>,
  batch: boolean,
  stallTimeoutMs: number,
  signal?: AbortSignal,
): Promise<DriverRow[]> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason ?? new Error('aborted'));
      return;
    }
    const rows: DriverRow[] = [];
    let failure: Error | undefined;
    let timer: NodeJS.Timeout | undefined;
    const cancel = (reason: Error) => {
      failure ??= reason;
      connection.cancel();
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => cancel(new Error(`SQL Server sent nothing for ${stallTimeoutMs} ms during a query: stalled`)),
        stallTimeoutMs,
      );
    };
    const onAbort = () => cancel(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const request = new Request(sql, (error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (failure ?? error) reject(failure ?? error);
      else resolve(rows);
    });
    for (const [name, parameter] of Object.entries(params))
      request.addParameter(name, parameter.type, parameter.value, parameter.options);
    request.on('row', (columns: Array<{ metadata: { colName: string }; value: unknown }>) => {
      arm();
      const row: DriverRow = {};
      for (const column of columns) row[column.metadata.colName] = column.value;
      rows.push(row);
    });
    arm();
    if (batch) connection.execSqlBatch(request);
    else connection.execSql(request);
  });
}
