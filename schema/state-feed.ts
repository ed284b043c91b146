import type { Services } from '../core/services.js';
import type { ConnectorSource } from './connector.js';
import { eventStream } from './event-stream.js';

/**
 * The `connectorStateChanged` feed for one subscriber: first the current state of the connector
 * named (of every connector when `name` is null), then the connector as it is after each change.
 * Each event carries the state it was compared on. A connector is never sent twice in a row with
 * the same settings, `active`, stage, state, error and warning (the offset and times do not
 * count), however often the engine announces it; several changes in quick succession may arrive
 * as their last state only.
 */
export async function* stateFeed(services: Services, name: string | null): AsyncGenerator<ConnectorSource> {
  const initial = name === null ? (await services.connectors.list()).map((c) => c.name) : [name];
  const names = eventStream<string>((push) => {
    const unsubscribe = services.events.on('state', (connector) => {
      if (name === null || connector === name) push(connector);
    });
    // queued after the listener, so a change made while these are read is not missed
    for (const connector of initial) push(connector);
    return unsubscribe;
  });
  const sent = new Map<string, string>();
  for await (const connector of names) {
    const record = await services.connectors.get(connector);
    const state = record && (await services.state.state(connector));
    if (!record || !state) {
      sent.delete(connector);
      continue;
    }
    const { createdAt: _created, updatedAt: _updated, ...settings } = record;
    const key = JSON.stringify([settings, state.stage, state.state, state.error, state.warning]);
    if (sent.get(connector) === key) continue;
    sent.set(connector, key);
    yield { ...record, seen: { state } };
  }
}
