import { Command } from 'commander';

export function printSchemaCommand(): Command {
  return new Command('print-schema').description('print the GraphQL schema (SDL)').action(async () => {
    const { printedSchema } = await import('./print-schema.js');
    process.stdout.write(printedSchema());
  });
}
