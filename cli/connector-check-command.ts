import { Command } from 'commander';
import { CliError, EXIT } from './cli-error.js';
import { graphql, type ServerAddress } from './graphql-client.js';
import { printTable } from './print-table.js';

interface CheckResult {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string; hint: string | null }[];
  unknownTables: { name: string; setting: string; closest: string[]; notSelected: boolean }[];
  tables: {
    source: string;
    destination: string;
    primaryKey: string[];
    columns: { source: string; sourceType: string; name: string; type: string; nullable: boolean }[];
  }[];
}

const CHECK_QUERY = `query ($name: String!) { checkConnector(name: $name) {
  ok checks { name ok detail hint } unknownTables { name setting closest notSelected }
  tables { source destination primaryKey columns { source sourceType name type nullable } }
} }`;

function printCheck(result: CheckResult): void {
  printTable(
    ['CHECK', 'OK', 'DETAIL'],
    result.checks.map((check) => [
      check.name,
      check.ok ? 'ok' : 'FAILED',
      check.hint ? `${check.detail} (fix: ${check.hint})` : check.detail,
    ]),
    'no checks',
  );
  for (const table of result.tables) {
    console.log(`\n${table.source} -> ${table.destination}`);
    printTable(
      ['SOURCE COLUMN', 'SOURCE TYPE', 'COLUMN', 'TYPE'],
      table.columns.map((column) => [
        column.source,
        column.sourceType,
        column.name,
        `${column.type}${column.nullable ? '' : ' not null'}${table.primaryKey.includes(column.name) ? ' (key)' : ''}`,
      ]),
      '(no columns)',
    );
  }
}

/** `tributary connectors check <name>`: a dry run of a start; exits 5 when a check fails. */
export function checkCommand(server: () => ServerAddress): Command {
  return new Command('check')
    .description(
      'test a connector without starting it: connection, prerequisites, tables and where they land',
    )
    .argument('<name>', 'connector name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const data = await graphql<{ checkConnector: CheckResult }>(server(), CHECK_QUERY, { name });
      const result = data.checkConnector;
      if (options.json) console.log(JSON.stringify(result, null, 2));
      else printCheck(result);
      if (!result.ok) {
        const failed = result.checks.filter((check) => !check.ok).map((check) => check.name);
        throw new CliError(
          `connector ${name} is not ready to start: ${failed.join(', ')} failed`,
          EXIT.checkFailed,
        );
      }
    });
}
