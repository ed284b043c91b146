import net from 'node:net';
import { HEADER_LENGTH } from './packet.js';
import { Encryption } from './prelogin.js';
import type { Received } from './received.js';

/**
 * Throws when a client that asked for encryption in PRELOGIN (ENCRYPT_ON or ENCRYPT_REQ) still sent
 * its LOGIN7 — user name and barely obfuscated password — in plain text on any connection.
 */
export function assertEncryptionHonoured(received: readonly Received[]): void {
  for (const entry of received) {
    if (entry.kind !== 'login7' || entry.encrypted) continue;
    const prelogin = received.find((e) => e.kind === 'prelogin' && e.connection === entry.connection);
    const asked = prelogin?.kind === 'prelogin' ? prelogin.clientEncryption : undefined;
    if (asked === Encryption.on || asked === Encryption.required) {
      throw new Error(
        `connection ${entry.connection}: the client asked for encryption but sent LOGIN7 for "${entry.user}" in plain text`,
      );
    }
  }
}

/** The ENCRYPTION byte of a server's PRELOGIN reply packet, or undefined if it is not one. */
export function preloginReplyEncryption(packet: Buffer): number | undefined {
  if (packet.length < HEADER_LENGTH + 6 || packet[0] !== 0x04) return undefined;
  const body = packet.subarray(HEADER_LENGTH);
  for (let at = 0; at + 5 <= body.length && body[at] !== 0xff; at += 5) {
    if (body[at] === 0x01) return body[body.readUInt16BE(at + 1)];
  }
  return undefined;
}

/**
 * A prototype of the downgrade guard the sqlserver plugin needs (tedious 19 carries on in plain text
 * when the server answers ENCRYPT_OFF/NOT_SUP although `encrypt: true`): a tedious `connector` whose
 * socket is destroyed as soon as the server's PRELOGIN reply declines encryption, before tedious can
 * write LOGIN7. Pass it as `options.connector`.
 */
export function requireEncryptionConnector(host: string, port: number): () => Promise<net.Socket> {
  return () =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        const inspectFirstReply = (chunk: Buffer) => {
          socket.off('data', inspectFirstReply);
          const encryption = preloginReplyEncryption(chunk);
          if (encryption !== Encryption.on && encryption !== Encryption.required) {
            socket.destroy(
              new Error('the server does not offer TLS, which options.tls.mode requires; login not sent'),
            );
          }
        };
        socket.on('data', inspectFirstReply);
        resolve(socket);
      });
    });
}
