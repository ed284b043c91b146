import type { ConnectorStats } from './connector-show-command.js';

/** A connector as connectorStateChanged sends it to `watch`. */
export interface WatchedState {
  name: string;
  type: string;
  active: boolean;
  state: { stage: string; state: string; error: string | null; warning: string | null };
}

export interface WatchedConnector extends WatchedState {
  stats: ConnectorStats | null;
  /** Change events applied per second between the last two stats readings; null before two. */
  eventsPerSecond: number | null;
  statsAt: number | null;
}

/** What an update revealed that `watch` reports as it happens. */
export interface Notice {
  connector: string;
  kind: 'error' | 'warning';
  text: string;
}

/**
 * The connectors `watch` shows, fed by the two subscriptions: states as they change, stats at every
 * interval. Pure bookkeeping; rendering is elsewhere.
 */
export class WatchModel {
  readonly connectors = new Map<string, WatchedConnector>();

  /** Records a state; answers the new error or warning it brings (each once), and whether the name is new. */
  updateState(next: WatchedState): { added: boolean; notices: Notice[] } {
    const previous = this.connectors.get(next.name);
    const notices: Notice[] = [];
    for (const kind of ['error', 'warning'] as const) {
      const text = next.state[kind];
      if (text && text !== previous?.state[kind]) notices.push({ connector: next.name, kind, text });
    }
    this.connectors.set(next.name, {
      stats: null,
      eventsPerSecond: null,
      statsAt: null,
      ...previous,
      ...next,
    });
    return { added: previous === undefined, notices };
  }

  /** Records a stats reading taken at `now` (ms) and derives the change rate from the previous one. */
  updateStats(name: string, stats: ConnectorStats, now: number): void {
    const connector = this.connectors.get(name);
    if (!connector) return;
    const before = connector.stats;
    const seconds = connector.statsAt === null ? 0 : (now - connector.statsAt) / 1000;
    if (before && seconds > 0)
      connector.eventsPerSecond = Math.max(0, (stats.totalEvents - before.totalEvents) / seconds);
    connector.stats = stats;
    connector.statsAt = now;
  }

  remove(name: string): void {
    this.connectors.delete(name);
  }
}
