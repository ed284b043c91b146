import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_FILE, lockDataDir } from '../../core/data-dir-lock.js';

let dir: string;
const lockFile = () => path.join(dir, LOCK_FILE);
const owner = (pid: number, url: string | null = 'http://127.0.0.1:4000/graphql') =>
  `${JSON.stringify({ pid, host: hostname(), url, startedAt: '2026-01-01T00:00:00.000Z' })}\n`;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tributary-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('lockDataDir', () => {
  it('records this process with its URL, and removes the lock on release', async () => {
    const lock = await lockDataDir(dir);
    await lock.setUrl('http://127.0.0.1:4321/graphql');
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({
      pid: process.pid,
      host: hostname(),
      url: 'http://127.0.0.1:4321/graphql',
    });
    await lock.release();
    await expect(readFile(lockFile())).rejects.toThrow(/ENOENT/);
  });

  it('refuses a directory a live process holds, naming it', async () => {
    await writeFile(lockFile(), owner(process.ppid));
    await expect(lockDataDir(dir)).rejects.toThrow(
      `the data directory ${dir} is in use by another Tributary server (pid ${process.ppid}, serving http://127.0.0.1:4000/graphql, since 2026-01-01T00:00:00.000Z); stop that server first, or choose another --data-dir (TRIBUTARY_DATA_DIR)`,
    );
    expect(await readFile(lockFile(), 'utf8')).toBe(owner(process.ppid));
  });

  it('takes over the lock of a process that is gone, and an unreadable one', async () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    await writeFile(lockFile(), owner(gone, null));
    await (await lockDataDir(dir)).release();
    await writeFile(lockFile(), 'not json');
    const lock = await lockDataDir(dir);
    expect(JSON.parse(await readFile(lockFile(), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });
});
