import { readFile } from 'node:fs/promises';
import { loadSettings } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { openTargetUrl } from '../core/runtime.js';
import { reEncryptSecrets, serverConnections } from '../core/secrets/rotate-secrets.js';
import { generateKey, parseKey, SecretBox } from '../core/secrets/secret-box.js';
import { readKeyFile, stageKeyFile } from '../core/secrets/secret-key-file.js';
import { TargetDatabase } from '../core/target/target-database.js';
import { CliError, EXIT } from './cli-error.js';

export interface RotateKeyFlags {
  newKeyFile?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/**
 * Re-encrypts the stored secrets under a new key (see rotateKeyCommand for the UX). The new key
 * is written before the transaction commits and installed only after it did, so a failure leaves
 * the old key and the old ciphertexts in place.
 */
export async function rotateKey(flags: RotateKeyFlags): Promise<void> {
  const settings = loadSettings(process.env, { databaseUrl: flags.databaseUrl, dataDir: flags.dataDir });
  const fromEnv = settings.secretKey !== null;
  const currentKey = settings.secretKey ?? (await readKeyFile(settings.dataDir));
  if (currentKey === null) {
    throw new ConfigError(
      `no current key: TRIBUTARY_SECRET_KEY is unset and ${settings.dataDir}/secret.key does not exist`,
    );
  }
  if (fromEnv && flags.newKeyFile === undefined) {
    throw new ConfigError(
      'the current key comes from TRIBUTARY_SECRET_KEY: give --new-key-file <path> holding the new key',
    );
  }
  const newKey = flags.newKeyFile === undefined ? generateKey() : await readNewKey(flags.newKeyFile);
  const current = new SecretBox(currentKey);
  const next = new SecretBox(newKey);
  if (parseKey(currentKey).equals(parseKey(newKey))) {
    throw new ConfigError('the new key is the current key; give a different one');
  }
  const logger = createLogger(settings.logLevel, settings.logFormat);
  const target = await openTargetUrl(settings, logger);
  const database = new TargetDatabase(target.url, 1);
  try {
    const servers = await serverConnections(database);
    if (servers > 0) {
      throw new CliError(
        `a Tributary server is connected to this database (${servers} connections); stop it, rotate, ` +
          'then start it with the new key',
        EXIT.usage,
      );
    }
    const staged = fromEnv ? null : await stageKeyFile(settings.dataDir, newKey);
    let count: number;
    try {
      count = await reEncryptSecrets(database, current, next);
    } catch (error) {
      await staged?.discard();
      throw error;
    }
    await staged?.install();
    console.log(`re-encrypted the secrets of ${count} connector${count === 1 ? '' : 's'}`);
    console.log(
      staged
        ? `new key: ${staged.file} (old key kept in ${staged.oldFile}); restart the server to use it`
        : `new key: ${flags.newKeyFile}; restart the server with TRIBUTARY_SECRET_KEY set to its contents`,
    );
  } finally {
    await database.close();
    await target.stop();
  }
}

async function readNewKey(file: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read --new-key-file ${file}: ${(error as Error).message}`);
  }
  try {
    parseKey(text);
  } catch {
    throw new ConfigError(`--new-key-file ${file} must hold 32 bytes as 64 hex characters or base64`);
  }
  return text.trim();
}
