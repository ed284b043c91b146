import { Command, Option } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import { checkCommand } from './connector-check-command.js';
import { deadLettersCommand } from './connector-dead-letters-command.js';
import { lifecycleCommands } from './connector-lifecycle-command.js';
import { showCommand } from './connector-show-command.js';
import { updateCommand } from './connector-update-command.js';
import { graphql, type ServerAddress } from './graphql-client.js';
import { list, readStdin } from './option-parsers.js';
import { printTable } from './print-table.js';

const CONNECTOR_FIELDS = `name type host port user database schema tables snapshotTables letterCasing errorStrategy
  active state { stage state error offset }`;

interface ConnectorSummary {
  name: string;
  type: string;
  host: string;
  port: number;
  database: string;
  active: boolean;
  state: { stage: string; state: string; error: string | null };
}

function printConnectors(connectors: ConnectorSummary[]): void {
  printTable(
    ['NAME', 'TYPE', 'SOURCE', 'STAGE', 'STATE', 'ERROR'],
    connectors.map((c) => [
      c.name,
      c.type,
      `${c.host}:${c.port}/${c.database}`,
      c.state.stage,
      c.state.state,
      c.state.error ?? '',
    ]),
    'no connectors',
  );
}

interface ConnectorDeletion {
  name: string;
  leftBehind: { kind: string; name: string; dropStatement: string; note: string | null }[];
  unknownLeftovers: boolean;
}

function printDeletion(deletion: ConnectorDeletion): void {
  console.log(`deleted connector ${deletion.name}`);
  if (deletion.leftBehind.length > 0) {
    console.log('left behind at the source (run these there to remove them):');
    for (const item of deletion.leftBehind)
      console.log(
        `  ${item.kind} ${item.name}: ${item.dropStatement};${item.note ? ` -- ${item.note}` : ''}`,
      );
  }
  if (deletion.unknownLeftovers)
    console.log(
      'the source could not be reached: its capture may remain there (the plugin does not name it)',
    );
}

/** `tributary connectors list|add|delete|check`: talks to a running server over GraphQL. */
export function connectorsCommand(server: () => ServerAddress): Command {
  const command = new Command('connectors').description(
    'list, add, show, update, start, stop, pause, resume and delete connectors on a running server',
  );

  command
    .command('list')
    .description('list connectors with their state')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const data = await graphql<{ connectors: ConnectorSummary[] }>(
        server(),
        `{ connectors { ${CONNECTOR_FIELDS} } }`,
      );
      if (options.json) console.log(JSON.stringify(data.connectors, null, 2));
      else printConnectors(data.connectors);
    });

  command
    .command('add')
    .description('add a connector (it is not started)')
    .requiredOption('--name <name>', 'connector name')
    .requiredOption('--type <type>', 'source type, e.g. postgres or mysql')
    .requiredOption('--host <host>', 'source host')
    .requiredOption('--port <port>', 'source port')
    .requiredOption('--user <user>', 'source user')
    .option('--password <password>', 'source password (prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .requiredOption('--database <database>', 'source database')
    .option('--schema <schema>', 'source schema (dbo, an Oracle user, public)')
    .option('--tables <list>', 'comma-separated fully qualified tables (default: all)', list)
    .option('--snapshot-tables <list>', 'comma-separated subset of --tables to snapshot under ALWAYS', list)
    .addOption(new Option('--letter-casing <casing>').choices(['lowercase', 'uppercase', 'asis']))
    .addOption(new Option('--error-strategy <strategy>').choices(['exit', 'skip', 'retry']))
    .option('--options <json>', 'plugin-specific options as a JSON object')
    .option('--json', 'print JSON')
    .action(async (options: Record<string, string | string[] | boolean | undefined>) => {
      const port = Number(options.port);
      if (!Number.isInteger(port))
        throw new CliError(`--port must be a whole number, not "${options.port}"`, EXIT.usage);
      const password = options.passwordStdin ? await readStdin() : options.password;
      if (typeof password !== 'string') throw new CliError('give --password or --password-stdin', EXIT.usage);
      const input = {
        name: options.name,
        type: options.type,
        host: options.host,
        port,
        user: options.user,
        password,
        database: options.database,
        schema: options.schema,
        tables: options.tables,
        snapshotTables: options.snapshotTables,
        letterCasing:
          typeof options.letterCasing === 'string' ? options.letterCasing.toUpperCase() : undefined,
        errorStrategy:
          typeof options.errorStrategy === 'string' ? options.errorStrategy.toUpperCase() : undefined,
        options: options.options,
      };
      const data = await graphql<{ addConnector: ConnectorSummary }>(
        server(),
        `mutation ($input: AddConnectorInput!) { addConnector(input: $input) { ${CONNECTOR_FIELDS} } }`,
        { input },
      );
      if (options.json) console.log(JSON.stringify(data.addConnector, null, 2));
      else console.log(`added connector ${data.addConnector.name} (${data.addConnector.type})`);
    });

  command
    .command('delete')
    .description('delete a connector; replicated tables stay')
    .argument('<name>', 'connector name')
    .option('--force', 'delete even when the source cannot be reached; prints what stays there')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { force?: boolean; json?: boolean }) => {
      const data = await graphql<{ deleteConnectorDetailed: ConnectorDeletion }>(
        server(),
        `mutation ($name: String!, $force: Boolean) {
          deleteConnectorDetailed(name: $name, force: $force) {
            name leftBehind { kind name dropStatement note } unknownLeftovers
          }
        }`,
        { name, force: options.force ?? false },
      );
      const deletion = data.deleteConnectorDetailed;
      const { leftBehind, unknownLeftovers } = deletion;
      if (options.json) console.log(JSON.stringify({ deleted: name, leftBehind, unknownLeftovers }));
      else printDeletion(deletion);
    });

  command.addCommand(checkCommand(server));
  command.addCommand(showCommand(server));
  command.addCommand(updateCommand(server));
  for (const verb of lifecycleCommands(server)) command.addCommand(verb);
  command.addCommand(deadLettersCommand(server));

  return command;
}
