import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, request, subscribe } from './api.js';
import type { Point } from './chart.js';
import {
  CONNECTOR,
  type ConnectorDetail,
  STATE_CHANGED,
  STATS_FEED,
  type State,
  type Stats,
} from './queries.js';

/** How long the charts look back. */
export const WINDOW_MS = 5 * 60_000;

export interface SeenError {
  at: string;
  message: string;
}

export interface LiveConnector {
  connector: ConnectorDetail | null | undefined;
  rate: Point[];
  lagSeconds: Point[];
  errors: SeenError[];
  failure: string | null;
  reload: () => Promise<void>;
}

/**
 * One connector, kept live: the connector query (rules, attributes, dead letters; again every 10 s
 * and after each action), its state over connectorStateChanged and its figures over connectorStats,
 * from which the apply-rate and lag series are drawn. Errors seen are kept, newest first.
 */
export function useLiveConnector(name: string): LiveConnector {
  const [connector, setConnector] = useState<ConnectorDetail | null | undefined>(undefined);
  const [rate, setRate] = useState<Point[]>([]);
  const [lagSeconds, setLag] = useState<Point[]>([]);
  const [errors, setErrors] = useState<SeenError[]>([]);
  const [failure, setFailure] = useState<string | null>(null);

  const noteError = useCallback((state: State) => {
    const message = state.error;
    if (!message) return;
    setErrors((seen) =>
      seen[0]?.message === message ? seen : [{ at: state.updatedAt, message }, ...seen].slice(0, 20),
    );
  }, []);

  const reload = useCallback(async () => {
    try {
      const data = await request<{ connector: ConnectorDetail | null }>(CONNECTOR, { name });
      setConnector(data.connector);
      if (data.connector) noteError(data.connector.state);
      setFailure(null);
    } catch (e) {
      setFailure(e instanceof ApiError ? e.message : String(e));
    }
  }, [name, noteError]);

  useEffect(() => {
    void reload();
    const timer = setInterval(reload, 10_000);
    let last: { at: number; events: number } | null = null;
    const endStats = subscribe<{ connectorStats: Stats }>(
      STATS_FEED,
      { name },
      ({ connectorStats: stats }) => {
        const at = Date.now();
        const events = stats.totalEvents + stats.snapshotRows;
        const keep = (points: Point[], value: number) =>
          [...points, { at, value }].filter((p) => p.at >= at - WINDOW_MS);
        if (last && at > last.at) {
          const perSecond = Math.max(0, ((events - last.events) * 1000) / (at - last.at));
          setRate((points) => keep(points, perSecond));
        }
        last = { at, events };
        setLag((points) => keep(points, (stats.lagMs ?? 0) / 1000));
        setConnector((c) => (c ? { ...c, stats } : c));
      },
      (e) => setFailure(e.message),
    );
    const endState = subscribe<{ connectorStateChanged: { active: boolean; state: State } }>(
      STATE_CHANGED,
      { name },
      ({ connectorStateChanged: changed }) => {
        noteError(changed.state);
        setConnector((c) => (c ? { ...c, active: changed.active, state: changed.state } : c));
      },
      (e) => setFailure(e.message),
    );
    return () => {
      clearInterval(timer);
      endStats();
      endState();
    };
  }, [name, reload, noteError]);

  return { connector, rate, lagSeconds, errors, failure, reload };
}
