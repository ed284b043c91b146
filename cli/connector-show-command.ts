import { Command } from 'commander';
import { fetchConnector } from './fetch-connector.js';
import type { ServerAddress } from './graphql-client.js';
import { printTable } from './print-table.js';
import { formatCount, formatDuration, percent } from './watch-format.js';

/** The offset shown while streaming, before the first change after the start position commits. */
const NO_CHANGE_YET = '(none yet: no change committed since the start position)';

const PROGRESS_FIELDS = `running table rowsCopied rowsEstimated rowsPerSecond etaSeconds
  tables { table status rowsCopied rowsEstimated }`;

/** The fields of ConnectorStats that `show` and `watch` read. */
export const STATS_FIELDS = `totalEvents dmls creates updates deletes truncates ddls transactions badEvents
  batchesDone averageBatchSize lagMs lastSourceTs lastAppliedTs snapshotRows snapshotTables snapshotBeginTs
  snapshotEndTs snapshotProgress { ${PROGRESS_FIELDS} }`;

const SHOW_FIELDS = `name type host port user database schema tables snapshotTables letterCasing errorStrategy
  options active state { stage state error warning offset updatedAt } stats { ${STATS_FIELDS} }`;

export interface TableProgress {
  table: string;
  status: 'PENDING' | 'COPYING' | 'DONE';
  rowsCopied: number;
  rowsEstimated: number | null;
}

export interface SnapshotProgress {
  running: boolean;
  table: string | null;
  rowsCopied: number;
  rowsEstimated: number | null;
  rowsPerSecond: number | null;
  etaSeconds: number | null;
  tables: TableProgress[];
}

export interface ConnectorStats {
  totalEvents: number;
  dmls: number;
  creates: number;
  updates: number;
  deletes: number;
  truncates: number;
  ddls: number;
  transactions: number;
  badEvents: number;
  batchesDone: number;
  averageBatchSize: number;
  lagMs: number | null;
  lastSourceTs: string | null;
  lastAppliedTs: string | null;
  snapshotRows: number;
  snapshotTables: number;
  snapshotBeginTs: string | null;
  snapshotEndTs: string | null;
  snapshotProgress: SnapshotProgress;
}

interface ShownConnector {
  name: string;
  type: string;
  host: string;
  port: number;
  user: string;
  database: string;
  schema: string | null;
  tables: string[] | null;
  active: boolean;
  state: {
    stage: string;
    state: string;
    error: string | null;
    warning: string | null;
    offset: string | null;
    updatedAt: string;
  };
  stats: ConnectorStats;
}

function printConnector(c: ShownConnector): void {
  const { stats, state } = c;
  const lines: [string, string][] = [
    ['name', c.name],
    ['type', c.type],
    ['source', `${c.user}@${c.host}:${c.port}/${c.database}${c.schema ? ` schema ${c.schema}` : ''}`],
    ['tables', c.tables?.join(', ') ?? '(all)'],
    ['active', c.active ? 'yes' : 'no'],
    ['stage', state.stage],
    ['state', state.state],
    ['offset', state.offset ?? (state.stage === 'CHANGE_DATA_CAPTURE' ? NO_CHANGE_YET : '(none yet)')],
    ['error', state.error ?? ''],
    ['warning', state.warning ?? ''],
    [
      'events',
      `${stats.totalEvents} (${stats.creates} inserts, ${stats.updates} updates, ${stats.deletes} deletes, ${stats.truncates} truncates, ${stats.ddls} ddl)`,
    ],
    ['batches', `${stats.batchesDone} (average ${stats.averageBatchSize.toFixed(1)} events)`],
    ['bad events', String(stats.badEvents)],
    ['lag', stats.lagMs === null ? 'unknown' : formatDuration(stats.lagMs / 1000)],
    ['snapshot', `${formatCount(stats.snapshotRows)} rows in ${stats.snapshotTables} tables`],
  ];
  const width = Math.max(...lines.map(([key]) => key.length));
  for (const [key, value] of lines) if (value !== '') console.log(`${key.padEnd(width)}  ${value}`);
  const tables = stats.snapshotProgress.tables;
  if (tables.length === 0) return;
  console.log('');
  printTable(
    ['TABLE', 'STATUS', 'ROWS', 'ESTIMATED', 'DONE'],
    tables.map((t) => [
      t.table,
      t.status,
      String(t.rowsCopied),
      t.rowsEstimated === null ? '?' : String(t.rowsEstimated),
      t.status === 'DONE' ? '100%' : percent(t.rowsCopied, t.rowsEstimated),
    ]),
    '',
  );
}

/** `tributary connectors show <name>`: settings, state, offset, statistics and snapshot progress per table. */
export function showCommand(server: () => ServerAddress): Command {
  return new Command('show')
    .description(
      'show a connector: state, offset, error, warning, statistics and per-table snapshot progress',
    )
    .argument('<name>', 'connector name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const connector = await fetchConnector<ShownConnector>(server(), name, SHOW_FIELDS);
      if (options.json) console.log(JSON.stringify(connector, null, 2));
      else printConnector(connector);
    });
}
