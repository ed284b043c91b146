import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../core/errors.js';
import { generateKey, parseKey, SecretBox } from '../../../core/secrets/secret-box.js';
import { loadOrCreateKeyFile } from '../../../core/secrets/secret-key-file.js';

describe('SecretBox', () => {
  it('decrypts what it encrypted, with a fresh IV each time', () => {
    const box = new SecretBox(generateKey());
    const first = box.encrypt('hunter2');
    const second = box.encrypt('hunter2');
    expect(first).not.toBe(second);
    expect(first).not.toContain('hunter2');
    expect(box.decrypt(first)).toBe('hunter2');
    expect(box.decrypt(second)).toBe('hunter2');
  });

  it('refuses ciphertext made under another key', () => {
    const ciphertext = new SecretBox(generateKey()).encrypt('hunter2');
    expect(() => new SecretBox(generateKey()).decrypt(ciphertext)).toThrow(/TRIBUTARY_SECRET_KEY differs/);
  });

  it('refuses altered ciphertext', () => {
    const box = new SecretBox(generateKey());
    const [version, iv, tag, data] = box.encrypt('hunter2').split(':');
    const altered = Buffer.from(data ?? '', 'base64');
    altered[0] = (altered[0] ?? 0) ^ 1;
    expect(() => box.decrypt([version, iv, tag, altered.toString('base64')].join(':'))).toThrow(ConfigError);
  });

  it('accepts keys as 64 hex characters or base64, and refuses other lengths', () => {
    expect(parseKey('ab'.repeat(32))).toHaveLength(32);
    expect(parseKey(generateKey())).toHaveLength(32);
    expect(() => parseKey('too-short')).toThrow(/must be 32 bytes/);
  });
});

describe('loadOrCreateKeyFile', () => {
  it('creates the key with mode 0600 once and reuses it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tributary-key-'));
    try {
      const key = await loadOrCreateKeyFile(dir);
      expect(parseKey(key)).toHaveLength(32);
      expect((await stat(path.join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
      expect(await loadOrCreateKeyFile(dir)).toBe(key);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
