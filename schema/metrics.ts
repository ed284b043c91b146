import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { ConnectorOverview } from '../core/replication/connector-overview.js';
import type { Services } from '../core/services.js';
import { registerConnectorMetrics } from './connector-metrics.js';

/**
 * Prometheus metrics for `GET /metrics`: process metrics, connector counts and the per-connector
 * series (connector-metrics.ts). Each scrape reads every connector's state and live stats once,
 * shared by all the series, so they describe one moment.
 */
export function createMetrics(services: Services) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tributary_' });
  let scrape: Promise<ConnectorOverview[]> | null = null;
  const read = () => {
    scrape ??= services.liveStats.overview();
    return scrape;
  };
  new Gauge({
    name: 'tributary_connectors',
    help: 'Connectors defined, by source type and whether they are active.',
    labelNames: ['type', 'active'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const connector of await read()) {
        this.inc({ type: connector.type, active: String(connector.active) });
      }
    },
  });
  registerConnectorMetrics(registry, services, read);
  return {
    contentType: registry.contentType,
    render: async () => {
      try {
        return await registry.metrics();
      } finally {
        scrape = null;
      }
    },
  };
}
