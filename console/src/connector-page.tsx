import { useState } from 'preact/hooks';
import { ApiError, request } from './api.js';
import { Chart } from './chart.js';
import { linkTo } from './connector-list.js';
import { count, duration, lag, stateClass, time } from './format.js';
import { useLiveConnector, WINDOW_MS } from './live-connector.js';
import { ProgressBar } from './progress-bar.js';
import { type ConnectorDetail, LIFECYCLE, type LifecycleAction } from './queries.js';

const MODES = ['INITIAL', 'ALWAYS', 'NEVER', 'INITIAL_ONLY', 'NO_DATA', 'SCHEMASYNC'];

/** One connector: state, lifecycle buttons, snapshot progress, live charts, errors, rules, attributes. */
export function ConnectorPage({ name }: { name: string }) {
  const live = useLiveConnector(name);
  const { connector } = live;
  if (connector === undefined) return <p class="muted">Loading {name}…</p>;
  if (connector === null) return <p class="error">No connector named {name}.</p>;
  const { state, stats } = connector;
  const progress = stats.snapshotProgress;
  return (
    <section>
      <p>
        <a href="/" onClick={linkTo('/')}>
          ← Connectors
        </a>
      </p>
      <div class="heading">
        <h1>{connector.name}</h1>
        <span class={`badge ${stateClass(state.state, state.error)}`} data-testid="state">
          {state.state}
        </span>
        <span class="muted">
          {state.stage} · {connector.active ? 'active' : 'inactive'} · {connector.type} · {connector.user}@
          {connector.host}:{connector.port}/{connector.database}
        </span>
      </div>
      {live.failure && <p class="error">{live.failure}</p>}
      <Actions connector={connector} reload={live.reload} />
      {state.error && (
        <p class="error" data-testid="current-error">
          {state.error}
        </p>
      )}
      {state.warning && <p class="warning">{state.warning}</p>}
      <div class="figures">
        <Figure label="Lag" value={lag(stats.lagMs)} />
        <Figure label="Events applied" value={count(stats.totalEvents)} />
        <Figure label="Snapshot rows" value={count(stats.snapshotRows)} />
        <Figure label="Bad events" value={count(stats.badEvents)} />
        <Figure label="Offset" value={state.offset ?? '–'} />
      </div>
      <h2>Snapshot</h2>
      {progress.tables.length === 0 ? (
        <p class="muted">No snapshot yet.</p>
      ) : (
        <div class="snapshot">
          <p class="muted">
            {progress.running ? `Copying ${progress.table ?? ''}` : 'Not running'} ·{' '}
            {count(progress.rowsCopied)}
            {progress.rowsEstimated != null ? ` / ~${count(progress.rowsEstimated)}` : ''} rows
            {progress.rowsPerSecond != null ? ` · ${count(progress.rowsPerSecond)} rows/s` : ''}
            {progress.etaSeconds != null ? ` · ETA ${duration(progress.etaSeconds)}` : ''}
          </p>
          {progress.tables.map((t) => (
            <ProgressBar key={t.table} progress={t} />
          ))}
        </div>
      )}
      <h2>Last {WINDOW_MS / 60_000} minutes</h2>
      <div class="charts">
        <Chart title="Apply rate" unit="rows/s" points={live.rate} windowMs={WINDOW_MS} color="#2563eb" />
        <Chart title="Lag" unit="s" points={live.lagSeconds} windowMs={WINDOW_MS} color="#d97706" />
      </div>
      <h2>Recent errors</h2>
      {live.errors.length === 0 ? (
        <p class="muted">None seen.</p>
      ) : (
        <ul class="errors" data-testid="errors">
          {live.errors.map((e) => (
            <li key={e.at + e.message}>
              <span class="muted">{time(e.at)}</span> {e.message}
            </li>
          ))}
        </ul>
      )}
      <h2>Dead letters</h2>
      <Rows
        empty="None (errorStrategy SKIP sets bad events aside here)."
        head={['Id', 'When', 'Table', 'Offset', 'Error']}
        rows={connector.deadLetters.map((d) => [d.id, time(d.createdAt), d.sourceTable, d.offset, d.error])}
      />
      <h2>Mapping rules</h2>
      <Rows
        empty="No rule: tables land under their own names."
        head={['Kind', 'Source', 'Destination', 'Enabled', 'Matched']}
        rows={connector.mappings.map((m) => [
          m.kind,
          m.source,
          m.destination,
          m.enabled ? 'yes' : 'no',
          m.matched == null ? '–' : m.matched ? 'yes' : `no: ${m.unmatchedReason ?? ''}`,
        ])}
      />
      <h2>Destination attributes</h2>
      <Rows
        empty="Nothing replicated yet."
        head={['Source', 'Type', 'Destination', 'Type', 'Transform']}
        rows={connector.attributes.map((a) => [
          `${a.sourceTable}.${a.sourceColumn}`,
          a.sourceType,
          `${a.destinationTable}.${a.destinationColumn}`,
          a.destinationType,
          a.transform,
        ])}
      />
    </section>
  );
}

function Actions({ connector, reload }: { connector: ConnectorDetail; reload: () => Promise<void> }) {
  const [mode, setMode] = useState('INITIAL');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const act = async (action: LifecycleAction) => {
    setBusy(true);
    setError(null);
    try {
      const withMode = action === 'start' || action === 'restart';
      await request(LIFECYCLE[action], { name: connector.name, ...(withMode ? { mode } : {}) });
    } catch (e) {
      setError(e instanceof ApiError ? `${action}: ${e.message}` : String(e));
    } finally {
      setBusy(false);
      await reload();
    }
  };
  const running = connector.state.state !== 'STOPPED';
  const paused = connector.state.state === 'PAUSED';
  return (
    <div class="actions">
      <button type="button" disabled={busy || running} onClick={() => act('start')}>
        Start
      </button>
      <button type="button" disabled={busy || !running} onClick={() => act('stop')}>
        Stop
      </button>
      <button type="button" disabled={busy || !running || paused} onClick={() => act('pause')}>
        Pause
      </button>
      <button type="button" disabled={busy || !paused} onClick={() => act('resume')}>
        Resume
      </button>
      <button type="button" disabled={busy} onClick={() => act('restart')}>
        Restart
      </button>
      <label class="inline">
        mode{' '}
        <select value={mode} onChange={(e) => setMode(e.currentTarget.value)}>
          {MODES.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      {error && <span class="error">{error}</span>}
    </div>
  );
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div class="figure">
      <div class="muted">{label}</div>
      <div class="value">{value}</div>
    </div>
  );
}

function Rows({ head, rows, empty }: { head: string[]; rows: (string | null)[][]; empty: string }) {
  if (rows.length === 0) return <p class="muted">{empty}</p>;
  return (
    <table class="list">
      <thead>
        <tr>
          {head.map((h, i) => (
            <th key={i}>{h}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, r) => (
          <tr key={r}>
            {row.map((cell, c) => (
              <td key={c}>{cell ?? '–'}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
