import { describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../core/plugin/index.js';
import { dropMemoryDatabase, memoryPlugin } from '../../../plugins/memory/index.js';
import { formatOffset } from '../../../plugins/memory/offset.js';
import { memoryConfig, memoryFixture, readCheckpoints } from './memory-fixture.js';

const context = {
  connectorName: 'lonely',
  log: { debug() {}, info() {}, warn() {} },
  signal: new AbortController().signal,
};

async function connectTo(database: string) {
  return memoryPlugin.connect(memoryPlugin.configSchema.parse(memoryConfig(database)), context);
}

describe('memory connection', () => {
  it('estimates each table at its exact row count, and a table gone at null', async () => {
    await using fixture = memoryFixture();
    fixture.database.insert('items', [
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
    ]);
    fixture.database.createTable('gone', { columns: [{ name: 'id', type: 'integer' }] });
    const connection = await fixture.connect();
    const tables = await connection.discover(null);
    fixture.database.dropTable('gone');

    expect(tables.map((table) => table.ref.name)).toEqual(['gone', 'items']);
    expect(await connection.estimateRows?.(tables)).toEqual([null, 2]);
  });

  it('reports capture_enabled as failed, with a hint, while capture is disabled', async () => {
    await using fixture = memoryFixture({ captureEnabled: false });
    const connection = await fixture.connect();

    const checks = await connection.check();

    expect(checks).toContainEqual({
      name: 'capture_enabled',
      ok: false,
      detail: 'captureEnabled is false',
      hint: `set settings.captureEnabled = true on memory database ${fixture.database.name}`,
    });
    expect(checks.find((check) => check.name === 'database_exists')?.ok).toBe(true);
  });

  it('refuses to start a capture while capture is disabled, and starts once it is enabled', async () => {
    await using fixture = memoryFixture({ captureEnabled: false });
    const connection = await fixture.connect();

    await expect(connection.startCapture([])).rejects.toThrow(SourceUnavailableError);
    expect(fixture.database.slotPosition('fixture')).toBeUndefined();

    fixture.database.settings.captureEnabled = true;
    await using capture = await connection.startCapture([]);
    expect(capture.startOffset).toBe(formatOffset(fixture.database.headSequence));
  });

  it('connects to a database that does not exist and reports it from check()', async () => {
    await using connection = await connectTo('no_such_database');

    expect(await connection.check()).toEqual([
      {
        name: 'database_exists',
        ok: false,
        detail: 'memory database no_such_database is not registered',
        hint: "registerMemoryDatabase(new MemoryDatabase('no_such_database')) in this process before connecting",
      },
    ]);
  });

  it('throws SourceUnavailableError naming a missing database from every call that needs it', async () => {
    await using connection = await connectTo('no_such_database');
    const message = /memory database no_such_database does not exist/;

    await expect(connection.discover(null)).rejects.toThrow(message);
    await expect(connection.startCapture([])).rejects.toThrow(message);
    await expect(connection.estimateRows?.([])).rejects.toBeInstanceOf(SourceUnavailableError);
    const stream = connection.readChanges('0000000000000000', {
      tables: [],
      signal: new AbortController().signal,
    });
    await expect(stream[Symbol.asyncIterator]().next()).rejects.toThrow(message);
    await expect(connection.dropCapture()).resolves.toBeUndefined();
  });

  it('ends a stream with SourceUnavailableError when the database is dropped', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using capture = await connection.startCapture([]);
    const reading = readCheckpoints(connection, capture.startOffset, 1);

    dropMemoryDatabase(fixture.database.name);

    await expect(reading).rejects.toThrow(
      `memory database ${fixture.database.name} was dropped while streaming`,
    );
  });

  it('ends its streams when closed and refuses calls afterwards', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using capture = await connection.startCapture([]);
    const reading = readCheckpoints(connection, capture.startOffset, 1);

    await connection.close();
    await connection.close();

    expect(await reading).toEqual([]);
    await expect(connection.discover(null)).rejects.toThrow(/is closed/);
  });

  it('names the slot after options.slotName when given, else after the connector', async () => {
    await using fixture = memoryFixture();
    const named = await fixture.connect('connector_a', { slotName: 'custom_slot' });
    const unnamed = await fixture.connect('connector_b');

    await using _named = await named.startCapture([]);
    await using _unnamed = await unnamed.startCapture([]);

    expect(fixture.database.slotPosition('custom_slot')).toBe(fixture.database.headSequence);
    expect(fixture.database.slotPosition('connector_b')).toBe(fixture.database.headSequence);
    expect(fixture.database.slotPosition('connector_a')).toBeUndefined();
  });

  it('keeps an existing slot where it was when a capture starts again', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using _first = await connection.startCapture([]);
    const slotAt = fixture.database.slotPosition('fixture');
    fixture.database.insert('items', { id: 1, name: 'one' });

    await using second = await connection.startCapture([]);

    expect(fixture.database.slotPosition('fixture')).toBe(slotAt);
    expect(second.startOffset).toBe(formatOffset(fixture.database.headSequence));
  });
});
