import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, request, subscribe } from './api.js';
import { count, lag, stateClass } from './format.js';
import { CONNECTORS, type ConnectorSummary, STATE_CHANGED, type State } from './queries.js';
import { navigate } from './router.js';

const POLL_MS = 2000;

/** Every connector with its stage, state, lag and event rate; states live, figures every 2 s. */
export function ConnectorList() {
  const [connectors, setConnectors] = useState<ConnectorSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rates, setRates] = useState<Record<string, number>>({});
  const previous = useRef(new Map<string, { at: number; events: number }>());

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const data = await request<{ connectors: ConnectorSummary[] }>(CONNECTORS);
        if (stopped) return;
        const now = Date.now();
        const next: Record<string, number> = {};
        for (const c of data.connectors) {
          const events = c.stats.totalEvents + c.stats.snapshotRows;
          const before = previous.current.get(c.name);
          if (before) next[c.name] = Math.max(0, ((events - before.events) * 1000) / (now - before.at));
          previous.current.set(c.name, { at: now, events });
        }
        setRates(next);
        setConnectors(data.connectors);
        setError(null);
      } catch (e) {
        setError(e instanceof ApiError ? e.message : String(e));
      }
    };
    void load();
    const timer = setInterval(load, POLL_MS);
    const end = subscribe<{ connectorStateChanged: { name: string; active: boolean; state: State } }>(
      STATE_CHANGED,
      {},
      ({ connectorStateChanged: changed }) =>
        setConnectors(
          (list) =>
            list?.map((c) =>
              c.name === changed.name ? { ...c, active: changed.active, state: changed.state } : c,
            ) ?? list,
        ),
      (e) => setError(e.message),
    );
    return () => {
      stopped = true;
      clearInterval(timer);
      end();
    };
  }, []);

  return (
    <section>
      <div class="heading">
        <h1>Connectors</h1>
        <a class="button primary" href="/add" onClick={linkTo('/add')}>
          Add connector
        </a>
      </div>
      {error && <p class="error">{error}</p>}
      {connectors?.length === 0 && <p class="muted">No connector yet: add one.</p>}
      {connectors && connectors.length > 0 && (
        <table class="list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Source</th>
              <th>Stage</th>
              <th>State</th>
              <th>Lag</th>
              <th>Rate</th>
              <th>Events</th>
              <th>Snapshot rows</th>
            </tr>
          </thead>
          <tbody>
            {connectors.map((c) => (
              <tr key={c.name} data-connector={c.name}>
                <td>
                  <a
                    href={`/connectors/${encodeURIComponent(c.name)}`}
                    onClick={linkTo(`/connectors/${c.name}`)}
                  >
                    {c.name}
                  </a>
                </td>
                <td class="muted">
                  {c.type} · {c.host}:{c.port}/{c.database}
                </td>
                <td>{c.state.stage}</td>
                <td>
                  <span
                    class={`badge ${stateClass(c.state.state, c.state.error)}`}
                    title={c.state.error ?? undefined}
                  >
                    {c.state.error ? 'ERROR' : c.state.state}
                  </span>
                </td>
                <td>{lag(c.stats.lagMs)}</td>
                <td>{rates[c.name] == null ? '–' : `${count(rates[c.name])}/s`}</td>
                <td>{count(c.stats.totalEvents)}</td>
                <td>{count(c.stats.snapshotRows)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** An onClick for a console link: navigates in the page instead of reloading it. */
export function linkTo(path: string) {
  return (event: MouseEvent) => {
    event.preventDefault();
    navigate(path);
  };
}
