import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';

describe('createLogger', () => {
  it('writes human lines in the pretty format with secrets masked as in JSON', async () => {
    const stream = new PassThrough();
    let raw = '';
    stream.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    const logger = createLogger('info', 'pretty', stream);
    logger.info(
      { connector: 'orders', config: { password: 's3cr3t-pw' }, apiToken: 't0ken-xyz' },
      'connector started',
    );
    logger.flush();
    await new Promise((resolve) => setImmediate(resolve));
    // colours (on when the terminal supports them) left out
    const text = raw.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
    expect(text).toMatch(/INFO.*connector started/);
    expect(text).toContain('connector: "orders"');
    expect(text).toMatch(/"password": "\*\*\*"/);
    expect(text).toContain('apiToken: "***"');
    expect(text).not.toContain('s3cr3t-pw');
    expect(text).not.toContain('t0ken-xyz');
    expect(text.split('\n').filter((line) => line.startsWith('{'))).toEqual([]);
  });
});
