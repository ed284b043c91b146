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
