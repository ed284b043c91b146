import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
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
