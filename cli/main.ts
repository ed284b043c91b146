#!/usr/bin/env node
import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../core/errors.js';
import { parseTokenEntry } from '../schema/api-token.js';
import { attributesCommand } from './attributes-command.js';
import { CliError, EXIT } from './cli-error.js';
import { connectorsCommand } from './connectors-command.js';
import { mappingsCommand } from './mappings-command.js';
import { printSchemaCommand } from './print-schema-command.js';
import { rotateKeyCommand } from './rotate-key-command.js';
import { serveCommand } from './serve-command.js';
import { watchCommand } from './watch-command.js';

const program = new Command('tributary')
  .description('Replicate databases into PostgreSQL: snapshot, then change data capture, driven by GraphQL.')
  .option('--url <url>', 'server GraphQL URL for client commands (TRIBUTARY_URL)')
  .option('--token <token>', 'API token for client commands (TRIBUTARY_API_TOKEN)')
  .exitOverride()
  .showHelpAfterError();

const server = () => {
  const options = program.opts<{ url?: string; token?: string }>();
  const port = process.env.TRIBUTARY_PORT ?? '4000';
  return {
    url: options.url ?? process.env.TRIBUTARY_URL ?? `http://127.0.0.1:${port}/graphql`,
    token: options.token ?? firstToken(process.env.TRIBUTARY_API_TOKEN),
  };
};

/** The first of the server's tokens, without its role: what the CLI presents when not given --token. */
function firstToken(setting: string | undefined): string | undefined {
  const entry = setting?.split(',')[0]?.trim();
  return entry ? parseTokenEntry(entry).token : undefined;
}

program.addCommand(serveCommand());
program.addCommand(connectorsCommand(server));
program.addCommand(mappingsCommand(server));
program.addCommand(attributesCommand(server));
program.addCommand(watchCommand(server));
program.addCommand(printSchemaCommand());
program.addCommand(rotateKeyCommand());
const overrideExit = (command: Command): void => {
  command.exitOverride();
  command.commands.forEach(overrideExit);
};
overrideExit(program);

/** The CLI's error boundary and the only place that ends the process with a code. */
try {
  await program.parseAsync(process.argv);
  process.exitCode = EXIT.ok;
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (error instanceof CliError) {
    console.error(`error: ${error.message}`);
    process.exitCode = error.exitCode;
  } else if (error instanceof ConfigError) {
    console.error(`error: ${error.message}`);
    process.exitCode = EXIT.usage;
  } else {
    console.error(`error: ${(error as Error).message ?? String(error)}`);
    if ((error as Error).cause) console.error('cause:', (error as Error).cause);
    process.exitCode = EXIT.internal;
  }
}
// Let piped output drain, then end even if a keep-alive socket or timer is still open.
await new Promise((resolve) => process.stdout.write('', resolve));
process.exit(process.exitCode);
