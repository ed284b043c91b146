import type { Socket } from 'node:net';
import type pg from 'pg';
import { LogicalReplicationService } from 'pg-logical-replication';
import type { AbstractPlugin } from 'pg-logical-replication/dist/output-plugins/abstract.plugin.js';
import type { PluginLogger } from '../../../core/plugin/index.js';
import { EventBuffer, watchForStall } from '../../../core/plugin/kit.js';
import { quoteIdent, quoteLiteral } from '../client/identifiers.js';
import { lsnFromText, lsnToText } from '../offset.js';
import type { WalItem } from './change-translator.js';
import { decodePgoutput, type PgoutputMessage } from './pgoutput-decoder.js';
import { standbyStatusUpdate } from './standby-status.js';

export interface ReplicationStreamSettings {
  /** A replication (walsender) session's settings. */
  readonly client: pg.ClientConfig;
  readonly slot: string;
  readonly publication: string;
  /** Ask pgoutput for logical decoding messages (`messages 'true'`, PostgreSQL 14+). */
  readonly messages: boolean;
  readonly heartbeatIntervalMs: number;
  /** Receiving nothing for this long while reading fails the stream (see core's `watchForStall`). */
  readonly stallTimeoutMs: number;
  /** Items buffered before the socket is paused. */
  readonly bufferCapacity: number;
  readonly log: PluginLogger;
}

/**
 * pg-logical-replication keeps its driver connection private; pausing the socket and sending our
 * own status updates need it.
 */
interface ServiceInternals {
  readonly _connection: { readonly stream: Socket; sendCopyFromChunk(chunk: Buffer): void } | null;
}

interface PgoutputOptions {
  readonly publication: string;
  readonly messages: boolean;
}

/**
 * pgoutput protocol 1 for one publication, with values left as text (see pgoutput/pgoutput-decoder.ts),
 * and logical decoding messages when `messages` is set. pg-logical-replication decodes inside the
 * socket's data handler, where a throw would escape to the process: a message that cannot be
 * decoded goes to `onUndecodable` and yields null instead.
 */
class TextPgoutputPlugin implements AbstractPlugin<PgoutputOptions> {
  constructor(
    readonly options: PgoutputOptions,
    private readonly onUndecodable: (error: unknown) => void,
  ) {}

  get name(): string {
    return 'pgoutput';
  }

  start(client: pg.Client, slot: string, lsn: string): Promise<unknown> {
    const publications = quoteLiteral(quoteIdent(this.options.publication));
    const messages = this.options.messages ? ", messages 'true'" : '';
    return client.query(
      `START_REPLICATION SLOT ${quoteIdent(slot)} LOGICAL ${lsn} (proto_version '1', publication_names ${publications}${messages})`,
    );
  }

  parse(buffer: Buffer): PgoutputMessage | null {
    try {
      return decodePgoutput(buffer);
    } catch (error) {
      this.onUndecodable(error);
      return null;
    }
  }
}

/**
 * One START_REPLICATION session feeding an EventBuffer. When the buffer is full the socket is
 * paused (so the server stops sending once the kernel buffers fill) and resumed once the consumer
 * has drained half of it; memory stays within the capacity plus what one socket read held.
 *
 * Nothing is acknowledged on receipt: status updates carry only what `acknowledge` was given.
 * Every `heartbeatIntervalMs`, even while paused, a status update asks the server for a keepalive,
 * which keeps the session alive and reports the server's WAL end. So a stream that receives
 * nothing for `stallTimeoutMs` while reading is stalled: it fails with a SourceUnavailableError.
 */
export class ReplicationStream {
  readonly items: EventBuffer<WalItem>;
  private readonly service: LogicalReplicationService;
  private heartbeat: NodeJS.Timeout | undefined;
  private stopWatching: (() => void) | undefined;
  private written = 0n;
  private flushed = 0n;
  private closed = false;
  private peak = 0;

  constructor(private readonly settings: ReplicationStreamSettings) {
    this.items = new EventBuffer<WalItem>(settings.bufferCapacity, {
      onFull: () => this.pause(),
      onDrain: () => this.resume(),
      onReturn: () => void this.close(),
    });
    this.service = new LogicalReplicationService(settings.client, {
      acknowledge: { auto: false, timeoutSeconds: 0 },
    });
    this.service.on('data', (lsn: string, message: PgoutputMessage | null) => {
      if (message === null) return;
      this.advance(lsnFromText(lsn));
      this.push({ kind: 'message', message });
    });
    this.service.on('heartbeat', (lsn: string, _timestamp: number, shouldRespond: boolean) => {
      const walEnd = lsnFromText(lsn);
      this.advance(walEnd);
      this.push({ kind: 'keepalive', walEnd });
      if (shouldRespond) this.sendStatus(false);
    });
    this.service.on('error', (error: Error) => this.items.fail(error));
    this.service.on('start', () => {
      if (this.closed) this.service.stop().catch(() => undefined);
      else this.startHeartbeat();
    });
  }

  /** Starts streaming after `from`; `acknowledged` is the last position confirmed to the server. */
  start(from: bigint, acknowledged: bigint): void {
    this.flushed = acknowledged;
    const { publication, messages } = this.settings;
    const plugin = new TextPgoutputPlugin({ publication, messages }, (error) => {
      this.items.fail(error);
      void this.close();
    });
    this.service.subscribe(plugin, this.settings.slot, lsnToText(from)).then(
      () => this.items.end(),
      (error: unknown) => this.items.fail(error),
    );
  }

  /** Confirms `lsn` to the server: the slot may release everything up to it. */
  acknowledge(lsn: bigint): void {
    if (lsn <= this.flushed) return;
    this.flushed = lsn;
    this.sendStatus(false);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    this.stopWatching?.();
    this.items.end();
    await this.service.destroy().catch(() => undefined);
  }

  private push(item: WalItem): void {
    this.items.push(item);
    this.peak = Math.max(this.peak, this.items.size);
  }

  private advance(lsn: bigint): void {
    if (lsn > this.written) this.written = lsn;
  }

  private connection(): ServiceInternals['_connection'] {
    return (this.service as unknown as ServiceInternals)._connection;
  }

  private pause(): void {
    this.connection()?.stream.pause();
    this.settings.log.debug('replication stream paused', { buffered: this.items.size });
  }

  private resume(): void {
    this.settings.log.debug('replication stream resumed', { buffered: this.items.size, peak: this.peak });
    this.peak = this.items.size;
    this.connection()?.stream.resume();
  }

  private startHeartbeat(): void {
    this.heartbeat = setInterval(() => this.sendStatus(true), this.settings.heartbeatIntervalMs);
    const socket = this.connection()?.stream;
    if (socket)
      this.stopWatching = watchForStall(socket, this.settings.stallTimeoutMs, (error) => {
        this.items.fail(error);
        void this.close();
      });
  }

  private sendStatus(replyRequested: boolean): void {
    const connection = this.connection();
    if (this.closed || connection === null) return;
    const written = this.written > this.flushed ? this.written : this.flushed;
    try {
      connection.sendCopyFromChunk(standbyStatusUpdate(written, this.flushed, replyRequested));
    } catch (error) {
      // runs from a timer too: a socket that just failed must fail the stream, not the process
      this.items.fail(error);
    }
  }
}
