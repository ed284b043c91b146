import { readFileSync, unlinkSync } from 'node:fs';
import { mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { ConfigError } from './errors.js';

/** The server that holds a data directory, as its lock file says. */
export interface DataDirOwner {
  readonly pid: number;
  readonly host: string;
  /** The API URL, once the server listens; null while it starts. */
  readonly url: string | null;
  readonly startedAt: string;
}

/** A data directory held by this process until `release()`. */
export interface DataDirLock extends AsyncDisposable {
  readonly file: string;
  /** Records the API URL in the lock, so a refused second start can name it. */
  setUrl(url: string): Promise<void>;
  release(): Promise<void>;
}

export const LOCK_FILE = 'tributary.lock';

/**
 * Takes the data directory for this process: `tributary.lock` in it holds the owner's pid, host,
 * API URL and start time. A lock whose pid is not alive (a killed server) is stale and taken over;
 * a live owner makes this throw a ConfigError naming it. Take it before touching anything in the
 * directory (the embedded PostgreSQL of a running server must never be treated as an orphan).
 * The lock is removed on release, and when the process exits without releasing it.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  await mkdir(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  let owner: DataDirOwner = {
    pid: process.pid,
    host: hostname(),
    url: null,
    startedAt: new Date().toISOString(),
  };
  for (let attempt = 0; ; attempt++) {
    try {
      await writeFile(file, `${JSON.stringify(owner)}\n`, { flag: 'wx', mode: 0o644 });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 3) throw error;
    }
    const holder = await readOwner(file);
    // an unreadable lock may be one being written right now: look again before taking it over
    if (holder === null && attempt === 0) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    if (holder && holder.pid !== process.pid && alive(holder.pid))
      throw new ConfigError(refusal(dataDir, holder));
    await unlink(file).catch(() => undefined);
  }
  const ours = () => readOwnerSync(file)?.pid === process.pid;
  const removeOnExit = () => {
    if (ours()) unlinkSync(file);
  };
  process.once('exit', removeOnExit);
  const release = async () => {
    process.removeListener('exit', removeOnExit);
    if (ours()) await unlink(file).catch(() => undefined);
  };
  return {
    file,
    async setUrl(url) {
      owner = { ...owner, url };
      await writeFile(file, `${JSON.stringify(owner)}\n`);
    },
    release,
    [Symbol.asyncDispose]: release,
  };
}

function refusal(dataDir: string, holder: DataDirOwner): string {
  const where = holder.host === hostname() ? '' : ` on host ${holder.host}`;
  const serving = holder.url ? `serving ${holder.url}` : 'starting';
  return (
    `the data directory ${dataDir} is in use by another Tributary server (pid ${holder.pid}${where}, ${serving}, ` +
    `since ${holder.startedAt}); stop that server first, or choose another --data-dir (TRIBUTARY_DATA_DIR)`
  );
}

/** Whether a process with this pid runs here (a lock's pid from another host or container may be reused). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function parseOwner(text: string | null): DataDirOwner | null {
  try {
    const owner = JSON.parse(text ?? '') as DataDirOwner;
    return Number.isInteger(owner.pid) && owner.pid > 0 ? owner : null;
  } catch {
    return null;
  }
}

async function readOwner(file: string): Promise<DataDirOwner | null> {
  return parseOwner(await readFile(file, 'utf8').catch(() => null));
}

function readOwnerSync(file: string): DataDirOwner | null {
  try {
    return parseOwner(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}
