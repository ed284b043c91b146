import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import type { Row, SourcePlugin, TableRef } from '../../core/plugin/index.js';
import type { BuiltinSources } from '../../core/sources/builtin-sources.js';
import { builtinSources } from '../../plugins/builtin.js';
import type { ContractSource, ContractTarget } from '../contract/index.js';
import { captureOffset } from '../support/capture-offset.js';
import { gql } from '../support/graphql-http.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestServer, type TestServer } from '../support/test-runtime.js';
import { waitFor } from '../support/wait-for.js';

export interface ConnectorView {
  name: string;
  active: boolean;
  state: { stage: string; state: string; error: string | null; offset: string | null };
  stats: Record<string, number>;
}

const VIEW = `name active state { stage state error offset }
  stats { creates updates deletes truncates ddls dmls transactions badEvents totalEvents batchesDone snapshotTables snapshotRows }`;

export interface ConnectorOptions {
  readonly tables?: readonly TableRef[];
  /** `tables` and `snapshotTables` as written by the user, instead of the canonical names of `tables`. */
  readonly tableNames?: readonly string[];
  readonly snapshotTables?: readonly TableRef[];
  readonly errorStrategy?: 'EXIT' | 'SKIP' | 'RETRY';
  readonly letterCasing?: 'LOWERCASE' | 'UPPERCASE' | 'ASIS';
  /** `options.existingTables`: what a start does with an existing destination table no connector owns. */
  readonly existingTables?: 'FAIL' | 'TRUNCATE' | 'APPEND';
}

/**
 * The built-in sources with `plugin` serving its kind: the same plugin for the real sources, a
 * model-backed variant (Oracle over the LogMiner model) where the source is a model in this process.
 */
function serving(plugin: SourcePlugin): BuiltinSources {
  return {
    ...builtinSources,
    plugins: builtinSources.plugins.map((registration) =>
      registration.plugin.kind === plugin.kind ? { ...registration, plugin } : registration,
    ),
  };
}

/**
 * A running in-process Tributary server on a fresh target database, a fresh source behind a
 * plugin, and helpers that drive them as a user would (GraphQL) and look at the destination (SQL).
 */
export class EngineHarness implements AsyncDisposable {
  private constructor(
    readonly targetCluster: string,
    readonly target: TestDatabase,
    public server: TestServer,
    readonly plugin: SourcePlugin,
    readonly config: Readonly<Record<string, unknown>>,
    readonly source: ContractSource,
  ) {}

  /**
   * @param serverUrl the URL the server reaches the target database by (e.g. through a proxy);
   *   the harness itself always uses the database's own URL.
   */
  static async open(
    clusterUrl: string,
    setup: () => Promise<ContractTarget>,
    serverUrl: (targetUrl: string) => string = (url) => url,
  ): Promise<EngineHarness> {
    const { plugin, config, source } = await setup();
    const target = await createTestDatabase(clusterUrl, 'target');
    const server = await startTestServer(serverUrl(target.url), {}, serving(plugin));
    return new EngineHarness(clusterUrl, target, server, plugin, config, source);
  }

  qualified(table: TableRef): string {
    return table.schema === null ? `${table.database}.${table.name}` : `${table.schema}.${table.name}`;
  }

  /** `"schema"."table"` of the destination under the default (lower-case) naming. */
  destination(table: TableRef): string {
    return `"${table.database.toLowerCase()}"."${table.name.toLowerCase()}"`;
  }

  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const result = await gql<T>(this.server.url, query, variables);
    if (result.errors?.length) {
      const [error] = result.errors;
      throw Object.assign(new Error(error?.message), { code: error?.extensions?.code });
    }
    return result.data as T;
  }

  async addConnector(name: string, options: ConnectorOptions = {}): Promise<void> {
    await this.graphql('mutation ($input: AddConnectorInput!) { addConnector(input: $input) { name } }', {
      input: {
        ...this.config,
        name,
        type: this.plugin.kind,
        tables: options.tableNames ?? options.tables?.map((table) => this.qualified(table)),
        snapshotTables: options.snapshotTables?.map((table) => this.qualified(table)) ?? options.tableNames,
        errorStrategy: options.errorStrategy,
        letterCasing: options.letterCasing,
        ...(options.existingTables && {
          options: {
            ...(this.config.options as Record<string, unknown> | undefined),
            existingTables: options.existingTables,
          },
        }),
      },
    });
  }

  async lifecycle(mutation: string, name: string, extra = ''): Promise<ConnectorView> {
    const data = await this.graphql<Record<string, ConnectorView>>(
      `mutation ($name: String!) { result: ${mutation}(name: $name${extra}) { ${VIEW} } }`,
      { name },
    );
    return data.result as ConnectorView;
  }

  async view(name: string): Promise<ConnectorView> {
    const data = await this.graphql<{ connector: ConnectorView }>(
      `query ($n: String!) { connector(name: $n) { ${VIEW} } }`,
      {
        n: name,
      },
    );
    return data.connector;
  }

  /** Waits until the connector's state matches, failing early with its error if it stops on one. */
  async waitForState(name: string, stage: string, state: string, timeoutMs = 30_000): Promise<ConnectorView> {
    return waitFor(
      `${name} in ${stage}/${state}`,
      async () => {
        const view = await this.view(name);
        if (view.state.stage === stage && view.state.state === state) return view;
        if (view.state.state === 'STOPPED' && view.state.error && state !== 'STOPPED') {
          throw new Error(`connector stopped with: ${view.state.error}`);
        }
        return undefined;
      },
      timeoutMs,
    );
  }

  async rows(table: TableRef, columns = '*', orderBy = 'id'): Promise<Row[]> {
    return (await this.target.query(`SELECT ${columns} FROM ${this.destination(table)} ORDER BY ${orderBy}`))
      .rows;
  }

  /** Waits until the destination table holds exactly `expected` (compared as JSON). */
  async waitForRows(table: TableRef, expected: readonly Row[], columns = '*', orderBy = 'id'): Promise<void> {
    let last: Row[] = [];
    try {
      await waitFor(`rows of ${table.name}`, async () => {
        last = await this.rows(table, columns, orderBy).catch(() => []);
        return JSON.stringify(last) === JSON.stringify(expected) ? true : undefined;
      });
    } catch (error) {
      expect(last, (error as Error).message).toEqual(expected);
    }
  }

  /**
   * The source's current position, read through the plugin as the engine would: the start offset
   * of a capture pinned now under a throwaway connector name (its capture dropped again).
   */
  async currentOffset(tables: readonly TableRef[]): Promise<string> {
    const config = this.plugin.configSchema.parse(this.config);
    const log = { debug() {}, info() {}, warn() {} };
    const connection = await this.plugin.connect(config, {
      connectorName: `harness_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
      log,
      signal: new AbortController().signal,
    });
    try {
      const discovered = await connection.discover(tables.map((table) => this.qualified(table)));
      return await captureOffset(connection, discovered);
    } finally {
      await connection.dropCapture();
      await connection.close();
    }
  }

  /** Stops this server and starts a new one on the same target database (a server restart). */
  async restartServer(): Promise<void> {
    await this.server[Symbol.asyncDispose]();
    const key = this.server.secretKey;
    this.server = await startTestServer(this.target.url, { TRIBUTARY_SECRET_KEY: key }, serving(this.plugin));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const { name } of (await this.graphql<{ connectors: { name: string }[] }>('{ connectors { name } }'))
      .connectors) {
      await this.graphql('mutation ($n: String!) { deleteConnector(name: $n, force: true) }', {
        n: name,
      }).catch(() => undefined);
    }
    await this.server[Symbol.asyncDispose]();
    await this.source[Symbol.asyncDispose]();
    await this.target[Symbol.asyncDispose]();
  }
}
