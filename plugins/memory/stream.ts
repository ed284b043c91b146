import { HistoryLostError, type SourceEvent } from '../../core/plugin/index.js';
import type { Commit } from './database/change-log.js';
import type { MemoryDatabase } from './database/memory-database.js';
import { formatOffset, parseOffset } from './offset.js';

/**
 * Replays the change log strictly after `from`, then waits for new commits. Every commit's events
 * are followed by a Checkpoint carrying that commit's offset. Events of every table are delivered
 * (the contract lets a plugin filter by table but does not require it).
 *
 * Being a generator, it reads the next commit only when the consumer asks: back-pressure for free.
 * Ends (without error) when `signal` aborts. Throws HistoryLostError when the slot is missing or
 * `from` is no longer, or not yet, in the log; throws what `resolve` throws (SourceUnavailableError)
 * when the database is dropped.
 */
export async function* streamChanges(
  resolve: () => MemoryDatabase,
  slot: string,
  from: string,
  signal: AbortSignal,
): AsyncGenerator<SourceEvent> {
  let position = parseOffset(from);
  while (!signal.aborted) {
    const database = resolve();
    const commit = nextCommit(database, slot, position);
    if (commit === undefined) {
      await database.waitForCommit(position, signal);
      continue;
    }
    const offset = formatOffset(commit.sequence);
    for (const event of commit.events) {
      yield { ...event, commitOffset: offset } as SourceEvent;
      if (signal.aborted) return;
    }
    yield { kind: 'checkpoint', offset, sourceTs: commit.committedAt };
    position = commit.sequence;
  }
}

function nextCommit(database: MemoryDatabase, slot: string, position: number): Commit | undefined {
  const where = `memory database ${database.name}`;
  if (database.slotPosition(slot) === undefined) {
    throw new HistoryLostError(
      `capture slot ${slot} does not exist in ${where} (dropped, or never created by startCapture); a new snapshot is needed`,
    );
  }
  if (position < database.discardedThrough) {
    throw new HistoryLostError(
      `${where} no longer holds the changes after offset ${formatOffset(position)}: ` +
        `history through ${formatOffset(database.discardedThrough)} was discarded; a new snapshot is needed`,
    );
  }
  if (position > database.headSequence) {
    throw new HistoryLostError(
      `offset ${formatOffset(position)} is ahead of ${where} (head ${formatOffset(database.headSequence)}); ` +
        'the database was probably recreated; a new snapshot is needed',
    );
  }
  return database.commitAfter(position);
}
