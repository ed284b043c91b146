import net from 'node:net';

/** TDS packet type of a server's PRELOGIN reply (a tabular result). */
const REPLY_PACKET = 0x04;
const HEADER_LENGTH = 8;
const ENCRYPTION_OPTION = 0x01;
const TERMINATOR = 0xff;
/** ENCRYPT_ON and ENCRYPT_REQ: the server will start TLS. */
const ENCRYPTING = new Set([0x01, 0x03]);

/**
 * The ENCRYPTION byte of the server's PRELOGIN reply in `packet` (a whole first packet), or
 * undefined when it is not a PRELOGIN reply.
 */
export function preloginEncryption(packet: Buffer): number | undefined {
  if (packet.length < HEADER_LENGTH || packet[0] !== REPLY_PACKET) return undefined;
  const body = packet.subarray(HEADER_LENGTH);
  for (let at = 0; at + 5 <= body.length && body[at] !== TERMINATOR; at += 5) {
    if (body[at] === ENCRYPTION_OPTION) {
      const offset = body.readUInt16BE(at + 1);
      return offset < body.length ? body[offset] : undefined;
    }
  }
  return undefined;
}

/**
 * A tedious `connector` for connections that must be encrypted. tedious 19 with `encrypt: true`
 * carries on in plain text — sending LOGIN7 with the password merely obfuscated — when the server
 * answers ENCRYPT_NOT_SUP or ENCRYPT_OFF (the downgrade a man in the middle can forge). This
 * socket reads the server's first reply packet before tedious acts on it and destroys the socket
 * when it does not promise TLS, so the login is never sent.
 */
export function requireEncryptionConnector(host: string, port: number): () => Promise<net.Socket> {
  return () =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        let seen = Buffer.alloc(0);
        const inspect = (chunk: Buffer) => {
          seen = Buffer.concat([seen, chunk]);
          if (seen.length < HEADER_LENGTH) return;
          const length = seen.readUInt16BE(2);
          if (seen.length < length) return;
          socket.off('data', inspect);
          const encryption = preloginEncryption(seen.subarray(0, length));
          if (encryption === undefined || !ENCRYPTING.has(encryption))
            socket.destroy(
              new Error(
                'TLS: the server does not accept TLS connections (it declined encryption in PRELOGIN); the login was not sent (options.tls.mode requires TLS; enable TLS on the server, or set options.tls.mode to disable)',
              ),
            );
        };
        // Registered before tedious' own listener, so it sees the reply first.
        socket.prependListener('data', inspect);
        resolve(socket);
      });
    });
}
