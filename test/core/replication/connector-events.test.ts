import { describe, expect, it } from 'vitest';
import type { Logger } from '../../../core/logger.js';
import { ConnectorEvents } from '../../../core/replication/connector-events.js';

describe('ConnectorEvents', () => {
  it('logs a subscriber that throws and still delivers the event to the others, without failing the publisher', () => {
    const logged: unknown[] = [];
    const log = { error: (fields: unknown) => logged.push(fields) } as unknown as Logger;
    const events = new ConnectorEvents(log);
    const seen: string[] = [];
    events.on('state', () => {
      throw new Error('broken subscriber');
    });
    const stop = events.on('state', (connector) => seen.push(connector));
    expect(() => events.stateChanged('shop')).not.toThrow();
    expect(seen).toEqual(['shop']);
    expect(logged).toEqual([expect.objectContaining({ event: 'state' })]);
    stop();
    events.stateChanged('shop');
    expect(seen).toEqual(['shop']);
  });
});
