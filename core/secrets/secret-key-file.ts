import { chmod, copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateKey } from './secret-box.js';

export const KEY_FILE_NAME = 'secret.key';

/**
 * Reads the key kept in the data directory, creating it (mode 0600) on first use. Used only when
 * the operator sets no TRIBUTARY_SECRET_KEY.
 */
export async function loadOrCreateKeyFile(dataDir: string): Promise<string> {
  const file = path.join(dataDir, KEY_FILE_NAME);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  const key = generateKey();
  await writeFile(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return key;
}

/** The data directory's key, or null when there is none yet. */
export async function readKeyFile(dataDir: string): Promise<string | null> {
  try {
    return (await readFile(path.join(dataDir, KEY_FILE_NAME), 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Replaces the data directory's key in two steps: `stage` writes the new key beside it
 * (`secret.key.new`, mode 0600); `install` then copies the old key to `secret.key.old` and renames
 * the new one over `secret.key`; `discard` removes the staged file instead.
 */
export async function stageKeyFile(dataDir: string, key: string) {
  const file = path.join(dataDir, KEY_FILE_NAME);
  const staged = `${file}.new`;
  await writeFile(staged, `${key}\n`, { mode: 0o600 });
  await chmod(staged, 0o600);
  return {
    file,
    oldFile: `${file}.old`,
    install: async () => {
      await copyFile(file, `${file}.old`);
      await chmod(`${file}.old`, 0o600);
      await rename(staged, file);
    },
    discard: () => rm(staged, { force: true }),
  };
}
