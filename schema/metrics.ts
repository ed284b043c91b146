import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Services } from '../core/services.js';

/** Prometheus metrics for `GET /metrics`: process metrics plus connector counts. */
export function createMetrics(services: Services) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tributary_' });
  new Gauge({
    name: 'tributary_connectors',
    help: 'Connectors defined, by source type and whether they are active.',
    labelNames: ['type', 'active'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const connector of await services.connectors.list()) {
        this.inc({ type: connector.type, active: String(connector.active) });
      }
    },
  });
  return { contentType: registry.contentType, render: () => registry.metrics() };
}
