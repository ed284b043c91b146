import { Command } from 'commander';
import type { RotateKeyFlags } from './rotate-key.js';

/** `tributary rotate-key`; its modules load only when it runs. */
export function rotateKeyCommand(): Command {
  return new Command('rotate-key')
    .description(
      're-encrypt every stored secret under a new key, in one transaction (stop the server first, ' +
        'then restart it with the new key)',
    )
    .option(
      '--new-key-file <path>',
      'file holding the new key (32 bytes as 64 hex characters or base64); default: a generated key',
    )
    .option('--database-url <url>', 'target PostgreSQL URL (TRIBUTARY_DATABASE_URL; default: embedded)')
    .option('--data-dir <dir>', 'embedded database and key file (TRIBUTARY_DATA_DIR, default ./.tributary)')
    .addHelpText(
      'after',
      `
The current key is TRIBUTARY_SECRET_KEY, else the data directory's secret.key, as for serve.
When it comes from secret.key, the new key replaces it there and the old one is kept as
secret.key.old. When it comes from TRIBUTARY_SECRET_KEY, --new-key-file is required and the
server must be restarted with TRIBUTARY_SECRET_KEY set to that file's contents.
Refuses (exit 2, nothing changed) when the current key cannot decrypt a stored secret.`,
    )
    .action(async (flags: RotateKeyFlags) => {
      const { rotateKey } = await import('./rotate-key.js');
      await rotateKey(flags);
    });
}
