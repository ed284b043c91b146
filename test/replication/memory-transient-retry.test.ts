import { describe, expect, inject, it } from 'vitest';
import {
  dropMemoryDatabase,
  MemoryDatabase,
  memoryPlugin,
  registerMemoryDatabase,
} from '../../plugins/memory/index.js';
import type { ContractSource } from '../contract/index.js';
import { waitFor } from '../support/wait-for.js';
import { EngineHarness } from './engine-harness.js';

/** A registered memory database `name` holding `items (id, name)` with one row. */
function memorySource(name: string, captureEnabled: boolean): MemoryDatabase {
  const source = registerMemoryDatabase(new MemoryDatabase(name, { captureEnabled }));
  source.createTable('items', {
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'name', type: 'text' },
    ],
    primaryKey: ['id'],
  });
  source.insert('items', [{ id: 1, name: 'a' }]);
  return source;
}

const open = (database: string) =>
  EngineHarness.open(inject('targetClusterUrl'), async () => ({
    plugin: memoryPlugin,
    config: { host: 'h', port: 1, user: 'u', password: 'p', database },
    source: {
      [Symbol.asyncDispose]: async () => void dropMemoryDatabase(database),
    } as unknown as ContractSource,
  }));

describe('connectivity failures under the default error strategy (EXIT)', () => {
  it('backs off and recovers by itself when the source goes away while streaming', async () => {
    const source = memorySource('flaky', true);
    await using h = await open('flaky');
    await h.addConnector('flaky');
    await h.lifecycle('startConnector', 'flaky');
    await h.waitForState('flaky', 'CHANGE_DATA_CAPTURE', 'POLLING');

    dropMemoryDatabase('flaky');
    source.insert('items', [{ id: 2, name: 'while away' }]);
    const retrying = await waitFor('a retry', async () => {
      const view = await h.view('flaky');
      if (view.state.state === 'STOPPED') throw new Error(`stopped: ${view.state.error}`);
      return view.state.state === 'RESTARTING' ? view : undefined;
    });
    expect(retrying.state.error).toMatch(/flaky/);
    expect(retrying.active).toBe(true);

    registerMemoryDatabase(source);
    const recovered = await h.waitForState('flaky', 'CHANGE_DATA_CAPTURE', 'POLLING');
    expect(recovered.state.error).toBeNull();
    await h.waitForRows({ database: 'flaky', schema: null, name: 'items' }, [
      { id: 1, name: 'a' },
      { id: 2, name: 'while away' },
    ]);
  });

  it('still stops on failed prerequisites', async () => {
    memorySource('unready', false);
    await using h = await open('unready');
    await h.addConnector('unready');
    await h.lifecycle('startConnector', 'unready');
    const stopped = await waitFor('the connector to stop', async () => {
      const view = await h.view('unready');
      return view.state.state === 'STOPPED' && view.state.error ? view : undefined;
    });
    expect(stopped.state.error).toMatch(/source prerequisites not met: capture_enabled/);
  });
});
