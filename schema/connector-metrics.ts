import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ConnectorOverview } from '../core/replication/connector-overview.js';
import { type ConnectorStats, RUN_STATES, STAGES } from '../core/replication/connector-state.js';
import type { Services } from '../core/services.js';

/** Upper bounds of the batch duration histogram, in seconds (a batch commits within ~0.5 s when idle). */
const BATCH_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Read = () => Promise<readonly ConnectorOverview[]>;

/** The numeric stats of a connector. */
type Stat = {
  [K in keyof ConnectorStats]: ConnectorStats[K] extends number ? K : never;
}[keyof ConnectorStats];

/** Counters of one connector stat each: name, help, the stat. */
const STAT_COUNTERS: readonly (readonly [string, string, Stat])[] = [
  ['tributary_connector_transactions_total', 'Source transactions applied while streaming.', 'transactions'],
  ['tributary_connector_events_total', 'Source events read while streaming.', 'totalEvents'],
  ['tributary_connector_batches_total', 'Streaming batches committed.', 'batchesDone'],
  ['tributary_connector_bad_events_total', 'Events that could not be applied (bad events).', 'badEvents'],
  [
    'tributary_connector_snapshot_rows_total',
    'Rows copied by snapshots, including those of the table being copied.',
    'snapshotRows',
  ],
  ['tributary_connector_snapshot_tables_total', 'Tables whose snapshot copy committed.', 'snapshotTables'],
];

/** The kinds of `tributary_connector_changes_total`, each with the stat that counts it. */
const CHANGE_KINDS: Readonly<Record<string, Stat>> = {
  insert: 'creates',
  update: 'updates',
  delete: 'deletes',
  truncate: 'truncates',
  ddl: 'ddls',
};

/** Gauges of one value each (a null value leaves the connector's series out): name, help, the value. */
const GAUGES: readonly (readonly [string, string, (c: ConnectorOverview) => number | null])[] = [
  [
    'tributary_connector_active',
    'Whether the user wants the connector running (1) or not (0).',
    (c) => (c.active ? 1 : 0),
  ],
  [
    'tributary_connector_error',
    'Whether the connector has an error recorded (1) or not (0).',
    (c) => (c.seen.state.error === null ? 0 : 1),
  ],
  [
    'tributary_connector_warning',
    'Whether the connector has a warning needing attention, e.g. WAL its slot retains (1) or not (0).',
    (c) => (c.seen.state.warning === null ? 0 : 1),
  ],
  [
    'tributary_connector_lag_seconds',
    "Seconds from the last applied batch's newest source commit to its apply (absent before the first batch).",
    (c) => (c.seen.stats.lagMs === null ? null : c.seen.stats.lagMs / 1000),
  ],
  [
    'tributary_connector_last_applied_timestamp_seconds',
    'Unix time the last streaming batch was applied (absent before the first batch).',
    (c) => (c.seen.stats.lastAppliedTs === null ? null : c.seen.stats.lastAppliedTs.getTime() / 1000),
  ],
  [
    'tributary_connector_offset_updated_timestamp_seconds',
    "Unix time the connector's state (offset, stage, run state) last changed.",
    (c) => c.seen.state.updatedAt.getTime() / 1000,
  ],
];

/**
 * The per-connector series of `/metrics` (label `connector`). Values are read on scrape from the
 * connectors' state and live stats (`read`, one snapshot of the metadata per scrape); only the batch
 * duration histogram, the restart counter and the source position lag are observed as they happen,
 * from ConnectorEvents (the first two count since the server started). Counters restart from 0
 * after resetStats, which Prometheus treats as a counter reset.
 */
export function registerConnectorMetrics(registry: Registry, services: Services, read: Read): void {
  const registers = [registry];
  /** A series read on scrape: `each` gives the connector's labelled values (null: none). */
  const onScrape = <L extends string>(
    Metric: typeof Gauge | typeof Counter,
    name: string,
    help: string,
    labelNames: readonly L[],
    each: (c: ConnectorOverview) => Iterable<readonly [Partial<Record<L, string>>, number | null]>,
  ) =>
    new Metric({
      name,
      help,
      labelNames: ['connector', ...labelNames],
      registers,
      async collect() {
        this.reset();
        for (const c of await read()) {
          for (const [labels, value] of each(c)) {
            if (value === null) continue;
            const all = { connector: c.name, ...labels } as Partial<Record<'connector' | L, string>>;
            if (this instanceof Gauge) this.set(all, value);
            else this.inc(all, value);
          }
        }
      },
    });
  const oneHot = <V extends string>(
    label: 'state' | 'stage',
    values: readonly V[],
    of: (c: ConnectorOverview) => V,
  ) =>
    onScrape(
      Gauge,
      `tributary_connector_${label}`,
      `The ${label === 'state' ? 'run state' : 'stage'} of each connector: 1 for its current ${label}, 0 for the others.`,
      [label],
      (c) => values.map((value) => [{ [label]: value }, of(c) === value ? 1 : 0] as const),
    );

  oneHot('state', RUN_STATES, (c) => c.seen.state.state);
  oneHot('stage', STAGES, (c) => c.seen.state.stage);
  for (const [name, help, value] of GAUGES) onScrape(Gauge, name, help, [], (c) => [[{}, value(c)]]);
  onScrape(
    Counter,
    'tributary_connector_changes_total',
    'Changes applied while streaming, by kind (insert, update, delete, truncate, ddl).',
    ['kind'],
    (c) => Object.entries(CHANGE_KINDS).map(([kind, stat]) => [{ kind }, c.seen.stats[stat]] as const),
  );
  for (const [name, help, stat] of STAT_COUNTERS)
    onScrape(Counter, name, help, [], (c) => [[{}, c.seen.stats[stat]]]);

  const batchSeconds = new Histogram({
    name: 'tributary_connector_batch_duration_seconds',
    help: 'Time from the first event of a streaming batch to its commit (since the server started).',
    labelNames: ['connector'],
    buckets: BATCH_BUCKETS,
    registers,
  });
  const restarts = new Counter({
    name: 'tributary_connector_restarts_total',
    help: 'Times a failed connector job was retried (since the server started).',
    labelNames: ['connector'],
    registers,
  });
  const positionLag = new Gauge({
    name: 'tributary_connector_source_lag_bytes',
    help: "Bytes of source history between the source's current position and the connector's acknowledged one (e.g. PostgreSQL WAL); only for sources that tell, while streaming.",
    labelNames: ['connector'],
    registers,
  });
  services.events.on('positionLag', (connector, bytes) => {
    if (bytes === null) positionLag.remove({ connector });
    else positionLag.set({ connector }, bytes);
  });
  services.events.on('batch', (connector, seconds) => batchSeconds.observe({ connector }, seconds));
  services.events.on('restart', (connector) => restarts.inc({ connector }));
}
