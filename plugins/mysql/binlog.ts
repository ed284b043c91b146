import type ZongJi from '@vlasky/zongji';
import type { ConnectionOptions } from 'mysql2';
import {
  HistoryLostError,
  type PluginLogger,
  type ReadChangesOptions,
  type SourceEvent,
  type SourceTable,
  SourceUnavailableError,
  type TableRef,
} from '../../core/plugin/index.js';
import {
  describeTlsFailure,
  EventBuffer,
  type TlsMode,
  type WatchedSocket,
  watchForStall,
} from '../../core/plugin/kit.js';
import { onAbort } from '../../core/plugin/on-abort.js';
import { type BinlogRow, BinlogTranslator } from './binlog/binlog-translator.js';
import { BINLOG_CONNECTION_OPTIONS } from './client/value-codec.js';
import { type BinlogPosition, parseOffset } from './offset.js';
import { SchemaTracker } from './schema/schema-tracker.js';

/** What the stream needs from the connection. */
export interface BinlogSource {
  /** mysql2 connection options of the source (host, port, user, password, timeouts, `ssl`). */
  readonly connection: ConnectionOptions;
  /** `options.tls.mode`, for messages about TLS failures. */
  readonly tlsMode: TlsMode;
  readonly database: string;
  readonly serverId: number;
  readonly heartbeatIntervalMs: number;
  /** Receiving nothing for this long while reading fails the stream (see core's `watchForStall`). */
  readonly stallTimeoutMs: number;
  /** Events buffered before the binlog socket is paused. */
  readonly bufferCapacity: number;
  readonly log: PluginLogger;
  /** Every table of `database` as it is now: the schema tracker's starting point. */
  discover(): Promise<SourceTable[]>;
  /** Whether the server still holds the binary log file of `position`. */
  binlogAvailable(position: BinlogPosition): Promise<boolean>;
  /** Streams that are open, so `close()` can end them. */
  readonly open: Set<BinlogStream>;
}

/** The server's error for a dump position it no longer has (ER_MASTER_FATAL_ERROR_READING_BINLOG). */
const BINLOG_READ_ERROR = 1236;

/**
 * Streams the binary log strictly after `from`: row events of `database` become RowChanges, DDL
 * QUERY events SchemaChanges (through the SchemaTracker), every commit (XID, COMMIT, a DDL) and
 * each idle heartbeat a Checkpoint. Throws HistoryLostError when the file of `from` is purged.
 */
export async function* readBinlog(
  source: BinlogSource,
  from: string,
  options: ReadChangesOptions,
): AsyncGenerator<SourceEvent> {
  const start = parseOffset(from);
  if (!(await source.binlogAvailable(start)))
    throw new HistoryLostError(
      `binary log ${start.file} is no longer on the server (purged); a new snapshot is needed`,
    );
  const tracker = new SchemaTracker(await source.discover(), source.database);
  const { default: ZongJiClass } = await import('@vlasky/zongji');
  options.signal.throwIfAborted();
  const stream = new BinlogStream(
    source,
    new ZongJiClass({ ...source.connection, ...BINLOG_CONNECTION_OPTIONS }),
  );
  const stop = () => void stream.close();
  const stopListening = onAbort(options.signal, stop);
  try {
    stream.start(start, new BinlogTranslator(tracker, source.database, stream.position, from));
    yield* stream.events;
  } finally {
    stopListening();
    await stream.close();
  }
}

/**
 * One binlog dump connection feeding an EventBuffer. When the buffer is full the socket is paused
 * (the server stops sending once the kernel buffers fill) and resumed once the consumer has
 * drained half of it, so memory stays bounded whatever the transaction size. The server sends a
 * heartbeat whenever the log is idle, so a stream that receives nothing for `stallTimeoutMs` while
 * reading is stalled: it fails with a SourceUnavailableError.
 */
export class BinlogStream {
  readonly events: EventBuffer<SourceEvent>;
  private closed = false;
  private paused = false;
  private peak = 0;
  private stopWatching: (() => void) | undefined;

  constructor(
    private readonly source: BinlogSource,
    private readonly zongji: ZongJi,
  ) {
    this.events = new EventBuffer<SourceEvent>(source.bufferCapacity, {
      onFull: () => this.pause(),
      onDrain: () => this.resume(),
      onReturn: () => void this.close(),
    });
  }

  /** The resume position ZongJi tracks: it moves only at transaction boundaries. */
  readonly position = (): BinlogPosition => {
    const options = this.zongji.options as { filename?: string; position?: number };
    return { file: options.filename ?? '', position: Number(options.position ?? 0) };
  };

  start(from: BinlogPosition, translator: BinlogTranslator): void {
    this.source.open.add(this);
    this.zongji.on('binlog', (event: BinlogRow) => {
      try {
        for (const item of translator.translate(event)) this.push(item);
      } catch (error) {
        this.events.fail(error);
        void this.close();
      }
    });
    this.zongji.on('error', (error: Error & { errno?: number }) => {
      this.events.fail(translateError(error, from, this.source.tlsMode));
      void this.close();
    });
    this.zongji.start({
      serverId: this.source.serverId,
      filename: from.file,
      position: from.position,
      includeSchema: { [this.source.database]: true },
    });
    // Queued on the dump connection before ZongJi's own set-up, so it precedes the dump command.
    const periodNs = BigInt(this.source.heartbeatIntervalMs) * 1_000_000n;
    this.dumpConnection()?.query(`SET @master_heartbeat_period = ${periodNs}`, (error) => {
      if (error) this.events.fail(translateError(error, from, this.source.tlsMode));
    });
    const socket = this.dumpConnection()?.stream;
    if (socket)
      this.stopWatching = watchForStall(socket, this.source.stallTimeoutMs, (error) => {
        this.events.fail(error);
        void this.close();
      });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.source.open.delete(this);
    this.stopWatching?.();
    this.events.end();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      this.zongji.once('stopped', () => {
        clearTimeout(timer);
        resolve();
      });
      try {
        this.zongji.stop();
      } catch {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private push(event: SourceEvent): void {
    // ZongJi resumes the socket itself after a metadata lookup; pause again while full.
    if (!this.events.push(event)) this.pause();
    this.peak = Math.max(this.peak, this.events.size);
  }

  private dumpConnection(): {
    pause(): void;
    resume(): void;
    query(sql: string, callback: (error: (Error & { errno?: number }) | null) => void): void;
    readonly stream?: WatchedSocket;
  } | null {
    return (this.zongji as unknown as { connection: ReturnType<BinlogStream['dumpConnection']> }).connection;
  }

  private pause(): void {
    this.dumpConnection()?.pause();
    if (this.paused) return;
    this.paused = true;
    this.source.log.debug('binlog stream paused', { buffered: this.events.size });
  }

  private resume(): void {
    this.paused = false;
    this.source.log.debug('binlog stream resumed', { buffered: this.events.size, peak: this.peak });
    this.peak = this.events.size;
    this.dumpConnection()?.resume();
  }
}

function translateError(error: Error & { errno?: number }, from: BinlogPosition, tlsMode: TlsMode): Error {
  if (error.errno === BINLOG_READ_ERROR || /could not find first log file|purged/i.test(error.message))
    return new HistoryLostError(
      `the server no longer holds the binary log after ${from.file}:${from.position} (${error.message}); a new snapshot is needed`,
      { cause: error },
    );
  if (error instanceof HistoryLostError || error instanceof SourceUnavailableError) return error;
  const tlsFailure = describeTlsFailure(error, tlsMode);
  return new SourceUnavailableError(`binlog stream failed: ${tlsFailure ?? error.message}`, { cause: error });
}

export type { TableRef };
