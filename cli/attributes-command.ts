import { Command } from 'commander';
import { fetchConnector } from './fetch-connector.js';
import type { ServerAddress } from './graphql-client.js';
import { printTable } from './print-table.js';

interface ReplicatedColumn {
  sourceTable: string;
  destinationTable: string;
  position: number;
  sourceColumn: string;
  destinationColumn: string;
  sourceType: string;
  destinationType: string;
  transform: string | null;
}

function printAttributes(columns: ReplicatedColumn[]): void {
  printTable(
    [
      'SOURCE TABLE',
      'DESTINATION TABLE',
      'POS',
      'SOURCE COLUMN',
      'DESTINATION COLUMN',
      'SOURCE TYPE',
      'DESTINATION TYPE',
      'TRANSFORM',
    ],
    columns.map((c) => [
      c.sourceTable,
      c.destinationTable,
      String(c.position),
      c.sourceColumn,
      c.destinationColumn,
      c.sourceType,
      c.destinationType,
      c.transform ?? '',
    ]),
    'no replicated columns yet; they appear once the connector has created its tables',
  );
}

/** `tributary attributes <connector>`: SynchDB's att_view, one row per replicated column. */
export function attributesCommand(server: () => ServerAddress): Command {
  return new Command('attributes')
    .description("list a connector's replicated columns: source and destination names and types")
    .argument('<connector>', 'connector name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const { attributes } = await fetchConnector<{ attributes: ReplicatedColumn[] }>(
        server(),
        name,
        'attributes { sourceTable destinationTable position sourceColumn destinationColumn sourceType destinationType transform }',
      );
      if (options.json) console.log(JSON.stringify(attributes, null, 2));
      else printAttributes(attributes);
    });
}
