import { Command, Option } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import { graphql, type ServerAddress } from './graphql-client.js';
import { list, readStdin, wholeNumber } from './option-parsers.js';

const FIELDS = `name type host port user database schema tables snapshotTables letterCasing errorStrategy options`;

interface UpdateOptions {
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  passwordStdin?: boolean;
  database?: string;
  schema?: string;
  tables?: string[];
  snapshotTables?: string[];
  letterCasing?: string;
  errorStrategy?: string;
  options?: string;
  json?: boolean;
}

/** The UpdateConnectorInput of the options given; none given is a usage error. */
async function updateInput(options: UpdateOptions): Promise<Record<string, unknown>> {
  const { json: _json, passwordStdin, letterCasing, errorStrategy, ...rest } = options;
  const input: Record<string, unknown> = { ...rest };
  if (passwordStdin) input.password = await readStdin();
  if (letterCasing) input.letterCasing = letterCasing.toUpperCase();
  if (errorStrategy) input.errorStrategy = errorStrategy.toUpperCase();
  if (Object.keys(input).length === 0)
    throw new CliError('give at least one setting to change (see --help)', EXIT.usage);
  return input;
}

/** `tributary connectors update <name> [--host ...]`: changes settings; they apply on the next start. */
export function updateCommand(server: () => ServerAddress): Command {
  return new Command('update')
    .description('change settings of a connector; they take effect on its next start or restart')
    .argument('<name>', 'connector name')
    .option('--host <host>', 'source host')
    .option('--port <port>', 'source port', wholeNumber)
    .option('--user <user>', 'source user')
    .option('--password <password>', 'source password (prefer --password-stdin)')
    .option('--password-stdin', 'read the password from standard input')
    .option('--database <database>', 'source database')
    .option('--schema <schema>', 'source schema')
    .option('--tables <list>', 'comma-separated fully qualified tables', list)
    .option('--snapshot-tables <list>', 'comma-separated subset of --tables to snapshot under ALWAYS', list)
    .addOption(new Option('--letter-casing <casing>').choices(['lowercase', 'uppercase', 'asis']))
    .addOption(new Option('--error-strategy <strategy>').choices(['exit', 'skip', 'retry']))
    .option('--options <json>', 'plugin-specific options as a JSON object (replaces them)')
    .option('--json', 'print JSON')
    .action(async (name: string, options: UpdateOptions) => {
      const input = await updateInput(options);
      const data = await graphql<{ updateConnector: Record<string, unknown> }>(
        server(),
        `mutation ($name: String!, $input: UpdateConnectorInput!) { updateConnector(name: $name, input: $input) { ${FIELDS} } }`,
        { name, input },
      );
      if (options.json) console.log(JSON.stringify(data.updateConnector, null, 2));
      else console.log(`updated connector ${name}: ${Object.keys(input).join(', ')}`);
    });
}
