import { randomBytes } from 'node:crypto';
import { gql } from '../support/graphql-http.js';
import type { BenchDatabase } from './bench-clusters.js';
import type { Cleanup } from './cleanup.js';
import { pollUntil } from './poll.js';
import { progress } from './report.js';
import { type ServerChild, startServerChild } from './server-child.js';

const CONNECTOR = 'bench';

/** A GraphQL error answered by the server, with its `extensions.code` (e.g. UNSUPPORTED). */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(code ? `${code}: ${message}` : message);
  }
}

export interface ConnectorStatus {
  readonly state: { stage: string; state: string; error: string | null; offset: string | null };
  readonly stats: {
    creates: number;
    updates: number;
    deletes: number;
    dmls: number;
    transactions: number;
    batchesDone: number;
    snapshotTables: number;
    snapshotRows: number;
    snapshotBeginTs: string | null;
    snapshotEndTs: string | null;
  };
}

const STATUS = `state { stage state error offset }
  stats { creates updates deletes dmls transactions batchesDone snapshotTables snapshotRows snapshotBeginTs snapshotEndTs }`;

/** Where the snapshot's time went, from the bench's clock and the connector's own timestamps. */
export interface SnapshotTiming {
  /** startConnector until the copied table is committed. */
  readonly seconds: number;
  readonly rows: number;
  /** startConnector until the copy began (connect, checks, discover, slot and publication). */
  readonly setupSeconds: number;
  /** snapshotBeginTs to snapshotEndTs. */
  readonly copySeconds: number;
}

/**
 * The built Tributary server as a child process (what `npm start` runs) on the target database,
 * with one connector (`postgres` or `mysql`) replicating the source's `bench` table, driven over
 * GraphQL as a user would.
 */
export class TributaryRun {
  private constructor(readonly server: ServerChild) {}

  /** Starts the server; with `cpuProfileDir`, node writes a .cpuprofile there when it exits. */
  static async start(
    target: BenchDatabase,
    cleanup: Cleanup,
    cpuProfileDir: string | null,
  ): Promise<TributaryRun> {
    const server = await startServerChild(
      { TRIBUTARY_DATABASE_URL: target.url, TRIBUTARY_SECRET_KEY: randomBytes(32).toString('hex') },
      cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfileDir] : [],
    );
    cleanup.defer('stop the Tributary server', () => server.stop('SIGTERM'));
    return new TributaryRun(server);
  }

  get pid(): number {
    const { pid } = this.server.child;
    if (pid === undefined) throw new Error('the Tributary server has no process id');
    return pid;
  }

  /** The destination table of a source's `bench` table: schema = source database name in lower case. */
  destinationOf(source: { readonly name: string }): string {
    return `"${source.name.toLowerCase()}"."bench"`;
  }

  /** Adds the connector; `input` is AddConnectorInput without its name (type, host, port, tables...). */
  async addConnector(input: Record<string, unknown>): Promise<void> {
    await this.graphql('mutation ($input: AddConnectorInput!) { addConnector(input: $input) { name } }', {
      input: { name: CONNECTOR, ...input },
    });
  }

  /** Starts the connector (INITIAL: snapshot, then stream) and times the snapshot until it is committed. */
  async timeSnapshot(timeoutMs: number): Promise<SnapshotTiming> {
    const startedAt = Date.now();
    const started = performance.now();
    await this.lifecycle('startConnector', ', mode: INITIAL');
    const status = await pollUntil(
      'the Tributary snapshot to commit',
      async () => {
        const current = await this.status();
        return current.stats.snapshotTables >= 1 && current.stats.snapshotEndTs ? current : undefined;
      },
      timeoutMs,
    );
    const seconds = (performance.now() - started) / 1000;
    const begin = Date.parse(status.stats.snapshotBeginTs ?? '');
    const end = Date.parse(status.stats.snapshotEndTs ?? '');
    return {
      seconds,
      rows: status.stats.snapshotRows,
      setupSeconds: (begin - startedAt) / 1000,
      copySeconds: (end - begin) / 1000,
    };
  }

  async waitForStreaming(timeoutMs: number): Promise<void> {
    await pollUntil(
      'the connector to stream changes',
      async () => {
        const { state } = await this.status();
        return state.stage === 'CHANGE_DATA_CAPTURE' && state.state === 'POLLING' ? true : undefined;
      },
      timeoutMs,
    );
  }

  async pause(): Promise<void> {
    await this.lifecycle('pauseConnector');
  }

  async resume(): Promise<void> {
    await this.lifecycle('resumeConnector');
  }

  /** The connector's state and counters; throws when it has stopped with an error. */
  async status(): Promise<ConnectorStatus> {
    const data = await this.graphql<{ connector: ConnectorStatus }>(
      `query ($name: String!) { connector(name: $name) { ${STATUS} } }`,
      { name: CONNECTOR },
    );
    const { state } = data.connector;
    if (state.error && (state.state === 'STOPPED' || state.state === 'RESTARTING')) {
      throw new Error(`the connector is ${state.state} with: ${state.error}`);
    }
    return data.connector;
  }

  private async lifecycle(mutation: string, extra = ''): Promise<void> {
    await this.graphql(`mutation ($name: String!) { ${mutation}(name: $name${extra}) { name } }`, {
      name: CONNECTOR,
    });
  }

  private async graphql<T>(query: string, variables: Record<string, unknown>): Promise<T> {
    const result = await gql<T>(this.server.url, query, variables);
    const [error] = result.errors ?? [];
    if (error) throw new GraphQLRequestError(error.message, error.extensions?.code);
    if (!result.data) throw new Error(`the server answered ${result.status} without data: ${result.text}`);
    return result.data;
  }
}

/**
 * Starts the built server on `target` and adds the connector `input` describes; a server without
 * that source type (UNSUPPORTED) gives null and the reason, so the baselines still run.
 */
export async function startTributary(
  target: BenchDatabase,
  input: Record<string, unknown> & { readonly type: string },
  cleanup: Cleanup,
  cpuProfileDir: string | null,
): Promise<{ tributary: TributaryRun | null; missing: string | null }> {
  progress(`starting the Tributary server (dist/cli/main.js serve) and adding the ${input.type} connector`);
  const tributary = await TributaryRun.start(target, cleanup, cpuProfileDir);
  try {
    await tributary.addConnector(input);
    return { tributary, missing: null };
  } catch (error) {
    if (!(error instanceof GraphQLRequestError) || error.code !== 'UNSUPPORTED') throw error;
    progress(`Tributary cannot be measured: ${error.message}`);
    await tributary.server.stop('SIGTERM');
    return { tributary: null, missing: error.message };
  }
}
