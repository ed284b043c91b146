import { Command } from 'commander';
import { type Client, createClient, type Sink } from 'graphql-ws';
import logUpdate from 'log-update';
import WebSocket from 'ws';
import { CliError, EXIT } from './cli-error.js';
import { type ConnectorStats, STATS_FIELDS } from './connector-show-command.js';
import { exitCodeOf, type ServerAddress } from './graphql-client.js';
import { wholeNumber } from './option-parsers.js';
import { type Notice, type WatchedState, WatchModel } from './watch-model.js';
import { noticeLine, plainLine, renderFrame } from './watch-render.js';

const STATE_SUBSCRIPTION = `subscription ($name: String) {
  connectorStateChanged(name: $name) { name type active state { stage state error warning } }
}`;
const STATS_SUBSCRIPTION = `subscription ($name: String!, $intervalMs: Int) {
  connectorStats(name: $name, intervalMs: $intervalMs) { ${STATS_FIELDS} }
}`;

/** What graphql-ws hands a sink's error: GraphQL errors, a close event or a socket error. */
function watchError(error: unknown, server: ServerAddress): CliError {
  if (Array.isArray(error)) {
    const first = error[0] as { message?: string; extensions?: { code?: string } } | undefined;
    const code = first?.extensions?.code ?? 'ERROR';
    return new CliError(`${code}: ${first?.message ?? 'subscription failed'}`, exitCodeOf(code));
  }
  const close = error as { code?: number; reason?: string };
  if (close.code === 4403 || close.code === 4401)
    return new CliError(`UNAUTHENTICATED: the server refused the token (${close.code})`, EXIT.refused);
  const reason = close.reason || (error as { message?: string }).message || 'connection closed';
  return new CliError(
    `cannot watch the Tributary server at ${server.url} (${reason}); is it running? Set --url or TRIBUTARY_URL`,
    EXIT.unreachable,
  );
}

/** Where the view goes: redrawn in place on a terminal, or one plain line per change otherwise. */
interface Output {
  render(model: WatchModel): void;
  notice(line: (colored: boolean) => string, model: WatchModel, notice: Notice): void;
  end(): void;
}

function terminalOutput(): Output {
  const render = (model: WatchModel) => logUpdate(renderFrame(model.connectors.values(), new Date()));
  return {
    render,
    notice: (line, model) => {
      logUpdate.clear();
      console.log(`${new Date().toISOString().slice(11, 19)} ${line(true)}`);
      render(model);
    },
    end: () => logUpdate.done(),
  };
}

function plainOutput(): Output {
  const printed = new Map<string, string>();
  return {
    render: (model) => {
      for (const connector of model.connectors.values()) {
        const line = plainLine(connector);
        if (printed.get(connector.name) === line) continue;
        printed.set(connector.name, line);
        console.log(`${new Date().toISOString()} ${line}`);
      }
    },
    notice: (line) => console.log(`${new Date().toISOString()} ${line(false)}`),
    end: () => {},
  };
}

/** NDJSON: each connector as the model holds it, one line whenever it changes; notices as their own lines. */
function jsonOutput(): Output {
  const printed = new Map<string, string>();
  return {
    render: (model) => {
      for (const { statsAt: _statsAt, ...connector } of model.connectors.values()) {
        const line = JSON.stringify(connector);
        if (printed.get(connector.name) === line) continue;
        printed.set(connector.name, line);
        console.log(JSON.stringify({ at: new Date().toISOString(), connector }));
      }
    },
    notice: (_line, _model, notice) =>
      console.log(JSON.stringify({ at: new Date().toISOString(), ...notice })),
    end: () => {},
  };
}

/** Runs the view until interrupted (resolves) or a subscription fails (rejects). */
async function watch(
  server: ServerAddress,
  name: string | undefined,
  options: { interval: number; json?: boolean },
): Promise<void> {
  const intervalMs = options.interval;
  const client: Client = createClient({
    url: server.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: server.token ? { authorization: `Bearer ${server.token}` } : undefined,
    retryAttempts: 0,
  });
  const output = options.json ? jsonOutput() : process.stdout.isTTY ? terminalOutput() : plainOutput();
  const model = new WatchModel();
  const unsubscribes: (() => void)[] = [];
  let fail: (error: CliError) => void = () => {};
  const failed = new Promise<never>((_, reject) => (fail = reject));
  const interrupted = new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });

  const watchStats = (connector: string) => {
    const sink: Sink<{ data?: { connectorStats: ConnectorStats } | null }> = {
      next: (result) => {
        if (!result.data) return;
        model.updateStats(connector, result.data.connectorStats, Date.now());
        output.render(model);
      },
      error: (error) => {
        const problem = watchError(error, server);
        if (problem.exitCode !== EXIT.notFound) return fail(problem);
        model.remove(connector);
        output.render(model);
      },
      complete: () => {},
    };
    unsubscribes.push(
      client.subscribe({ query: STATS_SUBSCRIPTION, variables: { name: connector, intervalMs } }, sink),
    );
  };

  unsubscribes.push(
    client.subscribe<{ connectorStateChanged: WatchedState }>(
      { query: STATE_SUBSCRIPTION, variables: { name: name ?? null } },
      {
        next: (result) => {
          if (result.errors?.[0]) return fail(watchError(result.errors, server));
          const state = result.data?.connectorStateChanged;
          if (!state) return;
          const { added, notices } = model.updateState(state);
          if (added) watchStats(state.name);
          for (const notice of notices)
            output.notice((colored) => noticeLine(notice, colored), model, notice);
          output.render(model);
        },
        error: (error) => fail(watchError(error, server)),
        complete: () => {},
      },
    ),
  );
  try {
    await Promise.race([interrupted, failed]);
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
    output.end();
    await client.dispose();
  }
}

/** `tributary watch [name]`: a live view of connectors over the GraphQL subscriptions. */
export function watchCommand(server: () => ServerAddress): Command {
  return new Command('watch')
    .description(
      'watch connectors live: stage and state, snapshot progress per table, CDC rate and lag, errors and warnings',
    )
    .argument('[name]', 'one connector (default: all)')
    .option('--interval <ms>', 'statistics refresh interval in milliseconds', wholeNumber, 1000)
    .option('--json', 'print one JSON object per line: a connector whenever it changes, errors and warnings')
    .action(async (name: string | undefined, options: { interval: number; json?: boolean }) => {
      await watch(server(), name, options);
    });
}
