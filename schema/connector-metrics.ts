import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { ConnectorOverview } from '../core/replication/connector-overview.js';
import { RUN_STATES, STAGES } from '../core/replication/connector-state.js';
import type { Services } from '../core/services.js';

/** Upper bounds of the batch duration histogram, in seconds (a batch commits within ~0.5 s when idle). */
const BATCH_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

type Read = () => Promise<readonly ConnectorOverview[]>;

/**
 * The per-connector series of `/metrics` (label `connector`). Values are read on scrape from the
 * connectors' state and live stats (`read`, one snapshot of the metadata per scrape); only the batch
 * duration histogram, the restart counter and the source position lag are observed as they happen,
 * from ConnectorEvents (the first two count since the server started). Counters restart from 0
 * after resetStats, which Prometheus treats as a counter reset.
 */
export function registerConnectorMetrics(registry: Registry, services: Services, read: Read): void {
  const registers = [registry];
  const gauge = (name: string, help: string, value: (c: ConnectorOverview) => number | null) =>
    new Gauge({
      name,
      help,
      labelNames: ['connector'],
      registers,
      async collect() {
        this.reset();
        for (const c of await read()) {
          const v = value(c);
          if (v !== null) this.set({ connector: c.name }, v);
        }
      },
    });
  const counter = (name: string, help: string, value: (c: ConnectorOverview) => number) =>
    new Counter({
      name,
      help,
      labelNames: ['connector'],
      registers,
      async collect() {
        this.reset();
        for (const c of await read()) this.inc({ connector: c.name }, value(c));
      },
    });

  new Gauge({
    name: 'tributary_connector_state',
    help: 'The run state of each connector: 1 for its current state, 0 for the others.',
    labelNames: ['connector', 'state'],
    registers,
    async collect() {
      this.reset();
      for (const c of await read()) {
        for (const state of RUN_STATES)
          this.set({ connector: c.name, state }, c.seen.state.state === state ? 1 : 0);
      }
    },
  });
  new Gauge({
    name: 'tributary_connector_stage',
    help: 'The stage of each connector: 1 for its current stage, 0 for the others.',
    labelNames: ['connector', 'stage'],
    registers,
    async collect() {
      this.reset();
      for (const c of await read()) {
        for (const stage of STAGES)
          this.set({ connector: c.name, stage }, c.seen.state.stage === stage ? 1 : 0);
      }
    },
  });
  gauge('tributary_connector_active', 'Whether the user wants the connector running (1) or not (0).', (c) =>
    c.active ? 1 : 0,
  );
  gauge('tributary_connector_error', 'Whether the connector has an error recorded (1) or not (0).', (c) =>
    c.seen.state.error === null ? 0 : 1,
  );
  gauge(
    'tributary_connector_warning',
    'Whether the connector has a warning needing attention, e.g. WAL its slot retains (1) or not (0).',
    (c) => (c.seen.state.warning === null ? 0 : 1),
  );
  gauge(
    'tributary_connector_lag_seconds',
    "Seconds from the last applied batch's newest source commit to its apply (absent before the first batch).",
    (c) => (c.seen.stats.lagMs === null ? null : c.seen.stats.lagMs / 1000),
  );
  gauge(
    'tributary_connector_last_applied_timestamp_seconds',
    'Unix time the last streaming batch was applied (absent before the first batch).',
    (c) => (c.seen.stats.lastAppliedTs === null ? null : c.seen.stats.lastAppliedTs.getTime() / 1000),
  );
  gauge(
    'tributary_connector_offset_updated_timestamp_seconds',
    "Unix time the connector's state (offset, stage, run state) last changed.",
    (c) => c.seen.state.updatedAt.getTime() / 1000,
  );

  new Counter({
    name: 'tributary_connector_changes_total',
    help: 'Changes applied while streaming, by kind (insert, update, delete, truncate, ddl).',
    labelNames: ['connector', 'kind'],
    registers,
    async collect() {
      this.reset();
      for (const c of await read()) {
        const s = c.seen.stats;
        const kinds = {
          insert: s.creates,
          update: s.updates,
          delete: s.deletes,
          truncate: s.truncates,
          ddl: s.ddls,
        };
        for (const [kind, value] of Object.entries(kinds)) this.inc({ connector: c.name, kind }, value);
      }
    },
  });
  counter(
    'tributary_connector_transactions_total',
    'Source transactions applied while streaming.',
    (c) => c.seen.stats.transactions,
  );
  counter(
    'tributary_connector_events_total',
    'Source events read while streaming.',
    (c) => c.seen.stats.totalEvents,
  );
  counter(
    'tributary_connector_batches_total',
    'Streaming batches committed.',
    (c) => c.seen.stats.batchesDone,
  );
  counter(
    'tributary_connector_bad_events_total',
    'Events that could not be applied (bad events).',
    (c) => c.seen.stats.badEvents,
  );
  counter(
    'tributary_connector_snapshot_rows_total',
    'Rows copied by snapshots, including those of the table being copied.',
    (c) => c.seen.stats.snapshotRows,
  );
  counter(
    'tributary_connector_snapshot_tables_total',
    'Tables whose snapshot copy committed.',
    (c) => c.seen.stats.snapshotTables,
  );

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
