import { describe, expect, it } from 'vitest';
import { HistoryLostError } from '../../../core/plugin/index.js';
import { formatOffset } from '../../../plugins/memory/index.js';
import { memoryFixture, readCheckpoints } from './memory-fixture.js';

describe('memory change-log retention', () => {
  it('keeps no history while no slot exists', async () => {
    await using fixture = memoryFixture();
    fixture.database.insert('items', { id: 1, name: 'one' });
    fixture.database.insert('items', { id: 2, name: 'two' });

    expect(fixture.database.retainedCommits).toBe(0);
    expect(fixture.database.headSequence).toBe(3);
  });

  it('keeps every commit after the slowest slot until all slots acknowledge it', async () => {
    await using fixture = memoryFixture();
    const fast = await fixture.connect('fast');
    const slow = await fixture.connect('slow');
    await using _fastCapture = await fast.startCapture([]);
    await using _slowCapture = await slow.startCapture([]);
    const offsets = [1, 2, 3].map((id) => fixture.database.insert('items', { id, name: 'x' }));

    await fast.ack(offsets[2] ?? '');
    expect(fixture.database.retainedCommits).toBe(3);

    await slow.ack(offsets[1] ?? '');
    expect(fixture.database.retainedCommits).toBe(1);
    expect(fixture.database.discardedThrough).toBe(fixture.database.headSequence - 1);
  });

  it('throws HistoryLostError when reading from before discarded history', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using capture = await connection.startCapture([]);
    fixture.database.insert('items', { id: 1, name: 'one' });
    const second = fixture.database.insert('items', { id: 2, name: 'two' });

    await connection.ack(second);

    await expect(readCheckpoints(connection, capture.startOffset, 1)).rejects.toThrow(
      new HistoryLostError(
        `memory database ${fixture.database.name} no longer holds the changes after offset ${capture.startOffset}: ` +
          `history through ${second} was discarded; a new snapshot is needed`,
      ),
    );
    fixture.database.insert('items', { id: 3, name: 'three' });
    const [next] = await readCheckpoints(connection, second, 1);
    expect(next).toMatchObject({ kind: 'change', after: { id: 3 } });
  });

  it('discards history beyond maxRetainedCommits even when a slot still needs it', async () => {
    await using fixture = memoryFixture({ maxRetainedCommits: 2 });
    const connection = await fixture.connect();
    await using capture = await connection.startCapture([]);
    for (const id of [1, 2, 3, 4, 5]) fixture.database.insert('items', { id, name: 'x' });

    expect(fixture.database.retainedCommits).toBe(2);
    await expect(readCheckpoints(connection, capture.startOffset, 1)).rejects.toBeInstanceOf(
      HistoryLostError,
    );
    const kept = await readCheckpoints(connection, formatOffset(fixture.database.headSequence - 2), 2);
    expect(kept.filter((event) => event.kind === 'change')).toHaveLength(2);
  });

  it('throws HistoryLostError naming the slot once it is dropped, even while another slot keeps the history', async () => {
    await using fixture = memoryFixture();
    const mine = await fixture.connect('mine');
    const other = await fixture.connect('other');
    await using capture = await mine.startCapture([]);
    await using _otherCapture = await other.startCapture([]);
    fixture.database.insert('items', { id: 1, name: 'one' });

    await mine.dropCapture();

    expect(fixture.database.retainedCommits).toBe(1);
    await expect(readCheckpoints(mine, capture.startOffset, 1)).rejects.toThrow(
      /capture slot mine does not exist/,
    );
    await expect(mine.ack(capture.startOffset)).rejects.toBeInstanceOf(HistoryLostError);
  });

  it('ends a waiting stream with HistoryLostError when its slot is dropped', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using capture = await connection.startCapture([]);
    const reading = readCheckpoints(connection, capture.startOffset, 1);

    await connection.dropCapture();

    await expect(reading).rejects.toBeInstanceOf(HistoryLostError);
  });

  it('throws HistoryLostError for an offset ahead of the head, as after the database was recreated', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using _capture = await connection.startCapture([]);

    await expect(readCheckpoints(connection, formatOffset(99), 1)).rejects.toThrow(
      /ahead of memory database/,
    );
  });

  it('refuses to acknowledge an offset the database has not reached', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using _capture = await connection.startCapture([]);

    await expect(connection.ack(formatOffset(99))).rejects.toThrow(/has not reached it/);
  });

  it('never moves a slot backwards', async () => {
    await using fixture = memoryFixture();
    const connection = await fixture.connect();
    await using _capture = await connection.startCapture([]);
    const first = fixture.database.insert('items', { id: 1, name: 'one' });
    const second = fixture.database.insert('items', { id: 2, name: 'two' });

    await connection.ack(second);
    await connection.ack(first);

    expect(fixture.database.slotPosition('fixture')).toBe(fixture.database.headSequence);
  });
});
