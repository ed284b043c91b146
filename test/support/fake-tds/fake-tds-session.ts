import type net from 'node:net';
import type { Writable } from 'node:stream';
import type tls from 'node:tls';
import { answerLogin, type LoginPolicy } from './login-responder.js';
import { parseLogin7 } from './login7.js';
import { MessageQueue } from './message-queue.js';
import { MessageWriter, type WriteStats } from './message-writer.js';
import { framePackets, PacketAssembler, PacketType, type TdsMessage } from './packet.js';
import {
  Encryption,
  type EncryptionName,
  encodePreloginResponse,
  negotiateEncryption,
  parsePrelogin,
} from './prelogin.js';
import type { Received } from './received.js';
import { decodeRpc, decodeSqlBatch } from './request-decoder.js';
import { outcomesOf, writeOutcomes } from './result-encoder.js';
import type { FakeTdsHandler, FakeTdsRequest, HandlerResult } from './result-set.js';
import { acceptTlsInPrelogin } from './tls-in-prelogin.js';
import { DoneStatus, done, serverMessage, Token } from './tokens.js';
import { answerTransaction } from './transaction-responder.js';
import type { SqlValue } from './value-encoder.js';

/** How one connection behaves; shared by all connections of a fake server. */
export interface SessionOptions {
  readonly handler: FakeTdsHandler;
  readonly encryption: EncryptionName;
  readonly secureContext: tls.SecureContext | undefined;
  readonly policy: LoginPolicy;
  /** Forces the packet size instead of accepting the client's. */
  readonly packetSize: number | undefined;
  readonly record: (entry: Received) => void;
  /** A client stream the fake cannot read (bad framing): the connection is then dropped. */
  readonly reportError: (error: Error) => void;
  readonly stats: WriteStats;
}

const PRELOGIN_PACKET_SIZE = 4096;

/** tedious' first batch after login (`set ansi_nulls on ... set textsize ...`): answered by the fake. */
function isSessionSetup(sql: string): boolean {
  return /^\s*set ansi_nulls (on|off)\b/i.test(sql) && /\bset textsize\b/i.test(sql);
}

/** Serves one client connection: PRELOGIN, optional TLS, LOGIN7, then requests until it closes. */
export async function serveConnection(
  socket: net.Socket,
  connection: number,
  options: SessionOptions,
): Promise<void> {
  const queue = new MessageQueue();
  let current: AbortController | undefined;
  const assemble = (assembler: PacketAssembler) => (chunk: Buffer) => {
    let messages: TdsMessage[];
    try {
      messages = assembler.push(chunk);
    } catch (error) {
      options.reportError(error as Error);
      socket.destroy();
      return;
    }
    for (const message of messages) {
      if (message.type !== PacketType.attention) queue.push(message);
      else {
        options.record({ kind: 'attention', connection });
        if (current) current.abort();
        else queue.push(message);
      }
    }
  };
  let input = assemble(new PacketAssembler());
  socket.on('data', (chunk: Buffer) => input(chunk));
  socket.on('error', () => undefined);
  socket.on('close', () => {
    queue.close();
    current?.abort();
  });
  let out: Writable = socket;
  const send = (type: number, payload: Buffer, size: number) => {
    for (const packet of framePackets(type, payload, size)) out.write(packet);
  };

  const prelogin = await queue.next();
  if (prelogin?.type !== PacketType.prelogin) return void socket.destroy();
  const client = parsePrelogin(prelogin.payload);
  const negotiated = negotiateEncryption(options.encryption, client.encryption);
  options.record({
    kind: 'prelogin',
    connection,
    clientEncryption: client.encryption,
    answered: negotiated.answer,
  });
  send(PacketType.reply, encodePreloginResponse(Encryption[negotiated.answer]), PRELOGIN_PACKET_SIZE);
  if (negotiated.close) return void socket.end();

  let encrypted = false;
  if (negotiated.tls && options.secureContext) {
    const nextPayload = async () => {
      const message = await queue.next();
      if (message?.type !== PacketType.prelogin)
        throw new Error('fake TDS: connection ended during TLS handshake');
      return message.payload;
    };
    const reply = (payload: Buffer) => send(PacketType.prelogin, payload, PRELOGIN_PACKET_SIZE);
    const endpoints = await acceptTlsInPrelogin(options.secureContext, nextPayload, reply).catch(
      () => undefined,
    );
    if (!endpoints) return void socket.destroy();
    input = (chunk) => endpoints.encrypted.write(chunk);
    endpoints.encrypted.pipe(socket);
    endpoints.cleartext.on('data', assemble(new PacketAssembler()));
    endpoints.cleartext.on('error', () => socket.destroy());
    out = endpoints.cleartext;
    encrypted = true;
    options.record({ kind: 'tls', connection, protocol: endpoints.cleartext.getProtocol() });
  }

  const loginMessage = await queue.next();
  if (loginMessage?.type !== PacketType.login7) return void socket.destroy();
  const login = parseLogin7(loginMessage.payload);
  const packetSize = options.packetSize ?? Math.min(Math.max(login.packetSize, 512), 32767);
  const answer = answerLogin(login, options.policy, packetSize);
  options.record({
    kind: 'login7',
    connection,
    user: login.userName,
    database: login.database,
    appName: login.appName,
    packetSize: login.packetSize,
    encrypted,
    accepted: answer.accepted,
  });
  send(PacketType.reply, answer.reply, PRELOGIN_PACKET_SIZE);
  if (!answer.accepted) return void out.end();

  for (let message = await queue.next(); message; message = await queue.next()) {
    const controller = new AbortController();
    current = controller;
    const writer = new MessageWriter(out, PacketType.reply, packetSize, options.stats);
    try {
      await answerRequest(message, writer, controller.signal);
    } catch (error) {
      const text = `fake TDS: ${error instanceof Error ? error.message : String(error)}`;
      await writer.append(serverMessage({ number: 50000, state: 1, severity: 16, message: text }).toBuffer());
      await writer.append(done(Token.done, DoneStatus.error).toBuffer());
    }
    await writer.end();
    current = undefined;
    if (controller.signal.aborted && !socket.destroyed) {
      // The acknowledgement travels in a message of its own, after the (possibly cut) reply.
      send(PacketType.reply, done(Token.done, DoneStatus.attention).toBuffer(), packetSize);
    }
  }

  /** Answers one request message; returns whether ATTENTION cut it short. */
  async function answerRequest(
    message: TdsMessage,
    writer: MessageWriter,
    signal: AbortSignal,
  ): Promise<boolean> {
    switch (message.type) {
      case PacketType.attention:
        await writer.append(done(Token.done, DoneStatus.attention).toBuffer());
        return true;
      case PacketType.transactionManager: {
        const { reply, request, isolationLevel } = answerTransaction(message.payload);
        options.record({ kind: 'transaction', connection, request, isolationLevel });
        await writer.append(reply);
        return false;
      }
      case PacketType.sqlBatch: {
        const sql = decodeSqlBatch(message.payload);
        options.record({ kind: 'batch', connection, sql });
        const request: FakeTdsRequest = {
          kind: 'batch',
          sql,
          params: {},
          parameters: [],
          user: login.userName,
          database: answer.database,
          connection,
        };
        const result = isSessionSetup(sql) ? [] : await callHandler(request);
        return writeOutcomes(outcomesOf(result), false, writer, signal);
      }
      case PacketType.rpc: {
        const rpc = decodeRpc(message.payload);
        const executeSql = rpc.procedure === 'sp_executesql';
        const values = executeSql ? rpc.parameters.slice(2) : rpc.parameters;
        const sql = executeSql ? String(rpc.parameters[0]?.value ?? '') : `EXEC ${rpc.procedure}`;
        options.record({
          kind: 'rpc',
          connection,
          procedure: rpc.procedure,
          sql,
          parameters: rpc.parameters,
        });
        const params: Record<string, SqlValue> = Object.fromEntries(values.map((p) => [p.name, p.value]));
        const request: FakeTdsRequest = {
          kind: 'rpc',
          sql,
          params,
          parameters: values,
          user: login.userName,
          database: answer.database,
          connection,
        };
        return writeOutcomes(outcomesOf(await callHandler(request)), true, writer, signal);
      }
      default: {
        const text = `fake TDS: packet type 0x${message.type.toString(16)} is not supported`;
        await writer.append(
          serverMessage({ number: 50000, state: 1, severity: 16, message: text }).toBuffer(),
        );
        await writer.append(done(Token.done, DoneStatus.error).toBuffer());
        return false;
      }
    }
  }

  async function callHandler(request: FakeTdsRequest): Promise<HandlerResult> {
    try {
      return await options.handler(request.sql, request.params, request);
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }
}
