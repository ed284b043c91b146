import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ConfigError } from '../errors.js';

const VERSION = 'v1';

/**
 * Encrypts small secrets (passwords, TLS passphrases) with AES-256-GCM under the operator's key.
 * Ciphertext format: `v1:<iv b64>:<tag b64>:<data b64>`; each value gets a fresh 12-byte IV.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(key: string | Buffer) {
    this.key = typeof key === 'string' ? parseKey(key) : key;
    if (this.key.length !== 32) throw new ConfigError('TRIBUTARY_SECRET_KEY must be 32 bytes');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [
      VERSION,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      data.toString('base64'),
    ].join(':');
  }

  /** Throws ConfigError when the value was encrypted under another key or was altered. */
  decrypt(ciphertext: string): string {
    const [version, iv, tag, data] = ciphertext.split(':');
    if (version !== VERSION || iv === undefined || tag === undefined || data === undefined) {
      throw new ConfigError('stored secret has an unknown format');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64'));
      decipher.setAuthTag(Buffer.from(tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
    } catch (error) {
      throw new ConfigError(
        'cannot decrypt a stored secret: TRIBUTARY_SECRET_KEY differs from the key it was stored with',
        { cause: error },
      );
    }
  }
}

/** Accepts 64 hex characters or base64 of 32 bytes. */
export function parseKey(text: string): Buffer {
  const trimmed = text.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Buffer.from(trimmed, 'hex')
    : Buffer.from(trimmed, 'base64');
  if (key.length !== 32) {
    throw new ConfigError('TRIBUTARY_SECRET_KEY must be 32 bytes, written as 64 hex characters or base64');
  }
  return key;
}

export function generateKey(): string {
  return randomBytes(32).toString('base64');
}
