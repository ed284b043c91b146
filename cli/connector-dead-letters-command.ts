import { Command } from 'commander';
import { fetchConnector } from './fetch-connector.js';
import type { ServerAddress } from './graphql-client.js';
import { wholeNumber } from './option-parsers.js';
import { printTable } from './print-table.js';

interface DeadLetter {
  id: string;
  createdAt: string;
  sourceTable: string | null;
  offset: string | null;
  error: string;
  event: unknown;
}

/** `tributary connectors dead-letters <name>`: the events set aside under errorStrategy SKIP, newest first. */
export function deadLettersCommand(server: () => ServerAddress): Command {
  return new Command('dead-letters')
    .description('list the events a SKIP connector set aside, newest first')
    .argument('<name>', 'connector name')
    .option('--limit <n>', 'how many, 1 to 1000', wholeNumber, 100)
    .option('--offset <n>', 'skip this many newest', wholeNumber, 0)
    .option('--json', 'print JSON (with each event)')
    .action(async (name: string, options: { limit: number; offset: number; json?: boolean }) => {
      const connector = await fetchConnector<{ deadLetters: DeadLetter[] }>(
        server(),
        name,
        `deadLetters(limit: ${options.limit}, offset: ${options.offset}) { id createdAt sourceTable offset error event }`,
      );
      const letters = connector.deadLetters;
      if (options.json) {
        console.log(JSON.stringify(letters, null, 2));
        return;
      }
      printTable(
        ['ID', 'AT', 'TABLE', 'OFFSET', 'ERROR'],
        letters.map((l) => [
          l.id,
          l.createdAt,
          l.sourceTable ?? '',
          l.offset ?? '',
          l.error.split('\n')[0] ?? '',
        ]),
        'no dead letters',
      );
    });
}
