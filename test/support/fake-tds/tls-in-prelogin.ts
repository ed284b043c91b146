import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { duplexPair } from './duplex-pair.js';

const FLIGHT_TIMEOUT_MS = 5000;

/** The two ends of the server's TLS engine once the handshake is done. */
export interface TlsEndpoints {
  /** Decrypted TDS packets from the client; write replies here. */
  readonly cleartext: tls.TLSSocket;
  /** Raw TLS records: pipe the socket into it and it into the socket. */
  readonly encrypted: Duplex;
}

/**
 * Runs the server side of the TDS 7.x TLS handshake (MS-TDS 3.3.5.1): the client's TLS records
 * arrive inside PRELOGIN messages, and each is answered by exactly one PRELOGIN message carrying the
 * server's whole flight. After the handshake, TLS records travel raw on the socket.
 * `nextPayload` yields the payload of the client's next PRELOGIN message; `reply` frames and sends one.
 */
export async function acceptTlsInPrelogin(
  context: tls.SecureContext,
  nextPayload: () => Promise<Buffer>,
  reply: (payload: Buffer) => void,
): Promise<TlsEndpoints> {
  const [tlsSide, engineSide] = duplexPair();
  const cleartext = new tls.TLSSocket(tlsSide, { isServer: true, secureContext: context });
  let failure: Error | undefined;
  const secured = new Promise<void>((resolve, reject) => {
    cleartext.once('secure', resolve);
    cleartext.once('error', (error) => {
      failure = error;
      reject(error);
    });
  });
  secured.catch(() => undefined);
  let flight = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    flight = Buffer.concat([flight, chunk]);
  };
  engineSide.on('data', onData);
  for (let finished = false; !finished; ) {
    engineSide.write(await nextPayload());
    const deadline = Date.now() + FLIGHT_TIMEOUT_MS;
    while (!flightComplete(flight) && !failure) {
      if (Date.now() > deadline) throw new Error('fake TDS: the TLS engine produced no complete flight');
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (flight.length > 0) reply(flight);
    finished = recordTypes(flight).includes(20); // the server's ChangeCipherSpec: its last flight
    flight = Buffer.alloc(0);
    if (failure) throw failure;
  }
  await secured;
  engineSide.off('data', onData);
  return { cleartext, encrypted: engineSide };
}

/** The content types of the whole TLS records in `bytes`. */
function recordTypes(bytes: Buffer): number[] {
  const types: number[] = [];
  for (let at = 0; at + 5 <= bytes.length; at += 5 + bytes.readUInt16BE(at + 3))
    types.push(bytes.readUInt8(at));
  return types;
}

/**
 * Whether the collected TLS 1.2 records end a server flight: ServerHelloDone (handshake type 14),
 * ChangeCipherSpec followed by the encrypted Finished, or an alert.
 */
export function flightComplete(bytes: Buffer): boolean {
  let sawChangeCipherSpec = false;
  for (let at = 0; at + 5 <= bytes.length; ) {
    const type = bytes.readUInt8(at);
    const length = bytes.readUInt16BE(at + 3);
    if (at + 5 + length > bytes.length) return false;
    const body = bytes.subarray(at + 5, at + 5 + length);
    if (type === 21) return true;
    if (type === 20) sawChangeCipherSpec = true;
    else if (type === 22 && sawChangeCipherSpec) return true;
    else if (type === 22) {
      for (let h = 0; h + 4 <= body.length; h += 4 + body.readUIntBE(h + 1, 3))
        if (body[h] === 14) return true;
    }
    at += 5 + length;
  }
  return false;
}
