import { Command } from 'commander';
import { boundHeapGrowth } from './heap-growth.js';
import type { ServeFlags } from './serve.js';

/** `tributary serve`; the server's modules load only when it runs, keeping client commands quick. */
export function serveCommand(): Command {
  return new Command('serve')
    .description('run the server (an embedded PostgreSQL when no database URL is set)')
    .option('--port <port>', 'HTTP port (TRIBUTARY_PORT, default 4000)')
    .option('--host <host>', 'address to bind (TRIBUTARY_HOST, default 127.0.0.1)')
    .option('--database-url <url>', 'target PostgreSQL URL (TRIBUTARY_DATABASE_URL; default: embedded)')
    .option(
      '--allow-unauthenticated',
      'serve without an API token on a non-loopback --host (TRIBUTARY_ALLOW_UNAUTHENTICATED)',
    )
    .option(
      '--data-dir <dir>',
      'embedded database and generated key (TRIBUTARY_DATA_DIR, default ./.tributary)',
    )
    .option('--log-format <format>', 'json (default) or pretty, for humans (TRIBUTARY_LOG_FORMAT)')
    .option('--safe-mode', 'start the server and API without relaunching any connector (TRIBUTARY_SAFE_MODE)')
    .action(async (flags: ServeFlags) => {
      boundHeapGrowth();
      const { serve } = await import('./serve.js');
      await serve(flags);
    });
}
