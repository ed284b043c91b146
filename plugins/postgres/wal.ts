import {
  type ReadChangesOptions,
  type SourceEvent,
  SourceUnavailableError,
} from '../../core/plugin/index.js';
import { onAbort } from '../../core/plugin/on-abort.js';
import { streamFailure } from './client/source-errors.js';
import type { Sql } from './client/sql.js';
import { parseOffset } from './offset.js';
import { ChangeTranslator, type RelationCatalog } from './pgoutput/change-translator.js';
import { ReplicationStream, type ReplicationStreamSettings } from './pgoutput/replication-stream.js';
import { assertHistoryAfter } from './pgoutput/slot.js';
import type { DdlTracker } from './schema/ddl-tracker.js';

/** What `readChanges` needs from the connection. */
export interface WalSource {
  readonly sql: Sql;
  readonly database: string;
  readonly password: string;
  readonly stream: Omit<ReplicationStreamSettings, 'messages'>;
  readonly describe: RelationCatalog;
  /** Follows DDL through the trigger's messages; null when DDL capture is off or unsupported. */
  ddl(options: ReadChangesOptions): Promise<DdlTracker | null>;
  /** The last offset acknowledged through this connection, or 0. */
  acknowledged(): bigint;
  /** Streams register while open, so that `ack` can reach them. */
  readonly open: Set<ReplicationStream>;
}

/**
 * `readChanges`: checks that the slot still holds everything after `from` (HistoryLostError
 * otherwise), then streams the slot through pgoutput from `from`, translating each message as the
 * consumer asks for it. Ends without error when `signal` aborts; stream failures surface from the
 * iteration as HistoryLostError or SourceUnavailableError (also when the server ends the stream).
 */
export async function* readWal(
  source: WalSource,
  from: string,
  options: ReadChangesOptions,
): AsyncGenerator<SourceEvent> {
  const { signal } = options;
  const start = parseOffset(from);
  const slot = source.stream.slot;
  if (signal.aborted) return;
  let stream: ReplicationStream | undefined;
  const stop = () => void stream?.close();
  const stopListening = onAbort(signal, stop);
  try {
    await assertHistoryAfter(source.sql, slot, source.database, start, signal);
    const ddl = await source.ddl(options);
    const translator = new ChangeTranslator(
      source.describe,
      options.tables,
      start,
      source.stream.heartbeatIntervalMs,
      ddl,
    );
    stream = new ReplicationStream({ ...source.stream, messages: ddl !== null });
    source.open.add(stream);
    stream.start(start, source.acknowledged());
    for await (const item of stream.items) {
      if (signal.aborted) return;
      for (const event of await translator.translate(item)) {
        yield event;
        if (signal.aborted) return;
      }
    }
    if (!signal.aborted)
      throw new SourceUnavailableError(`the server ended the replication stream of slot ${slot}`);
  } catch (error) {
    if (signal.aborted) return;
    throw streamFailure(error, slot, source.password);
  } finally {
    stopListening();
    if (stream !== undefined) {
      source.open.delete(stream);
      await stream.close();
    }
  }
}
