import { Command, Option } from 'commander';
import { MAPPING_KINDS } from '../core/mappings/mapping-rule.js';
import { fetchConnector } from './fetch-connector.js';
import { graphql, type ServerAddress } from './graphql-client.js';
import { printTable } from './print-table.js';

const RULE_FIELDS = 'kind source destination enabled';

interface MappingRule {
  kind: string;
  source: string;
  destination: string;
  enabled: boolean;
}

const kindOption = () =>
  new Option('--kind <kind>', 'what the rule maps').choices(MAPPING_KINDS).makeOptionMandatory();

const describeRule = (rule: MappingRule) =>
  `${rule.kind.toLowerCase()} rule ${rule.source} -> ${rule.destination}`;

function printRules(rules: MappingRule[]): void {
  printTable(
    ['KIND', 'SOURCE', 'DESTINATION', 'ENABLED'],
    rules.map((rule) => [
      rule.kind.toLowerCase(),
      rule.source,
      rule.destination,
      rule.enabled ? 'yes' : 'no',
    ]),
    'no mapping rules',
  );
}

/** `tributary mappings list|add|disable|reload`: a connector's object mapping rules. */
export function mappingsCommand(server: () => ServerAddress): Command {
  const command = new Command('mappings').description(
    "list, add, disable and apply a connector's object mapping rules (table, column, datatype, transform)",
  );

  command
    .command('list')
    .description("list a connector's mapping rules")
    .argument('<connector>', 'connector name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const { mappings } = await fetchConnector<{ mappings: MappingRule[] }>(
        server(),
        name,
        `mappings { ${RULE_FIELDS} }`,
      );
      if (options.json) console.log(JSON.stringify(mappings, null, 2));
      else printRules(mappings);
    });

  command
    .command('add')
    .description('add a rule, or replace the destination of the rule with the same kind and source')
    .argument('<connector>', 'connector name')
    .addOption(kindOption())
    .requiredOption('--source <source>', 'source object as the source spells it, e.g. shop.orders')
    .requiredOption('--destination <destination>', 'destination name, type or expression')
    .option('--json', 'print JSON')
    .action(
      async (
        name: string,
        options: { kind: string; source: string; destination: string; json?: boolean },
      ) => {
        const data = await graphql<{ addObjectMapping: MappingRule }>(
          server(),
          `mutation ($connector: String!, $kind: MappingKind!, $source: String!, $destination: String!) {
            addObjectMapping(connector: $connector, kind: $kind, source: $source, destination: $destination) {
              ${RULE_FIELDS} } }`,
          {
            connector: name,
            kind: options.kind.toUpperCase(),
            source: options.source,
            destination: options.destination,
          },
        );
        if (options.json) console.log(JSON.stringify(data.addObjectMapping, null, 2));
        else console.log(`added ${describeRule(data.addObjectMapping)} to ${name}`);
      },
    );

  command
    .command('disable')
    .description('disable a rule, found by its kind and source')
    .argument('<connector>', 'connector name')
    .addOption(kindOption())
    .requiredOption('--source <source>', 'source object of the rule')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { kind: string; source: string; json?: boolean }) => {
      const data = await graphql<{ disableObjectMapping: MappingRule }>(
        server(),
        `mutation ($connector: String!, $kind: MappingKind!, $source: String!) {
          disableObjectMapping(connector: $connector, kind: $kind, source: $source) { ${RULE_FIELDS} } }`,
        { connector: name, kind: options.kind.toUpperCase(), source: options.source },
      );
      if (options.json) console.log(JSON.stringify(data.disableObjectMapping, null, 2));
      else console.log(`disabled ${describeRule(data.disableObjectMapping)} of ${name}`);
    });

  command
    .command('reload')
    .description('apply the rules now: rename and retype the tables already replicated')
    .argument('<connector>', 'connector name')
    .option('--json', 'print JSON')
    .action(async (name: string, options: { json?: boolean }) => {
      const data = await graphql<{
        reloadObjectMappings: { name: string; state: { stage: string; state: string; error: string | null } };
      }>(
        server(),
        `mutation ($connector: String!) {
          reloadObjectMappings(connector: $connector) { name state { stage state error } } }`,
        { connector: name },
      );
      const { state } = data.reloadObjectMappings;
      if (options.json) console.log(JSON.stringify(data.reloadObjectMappings, null, 2));
      else
        console.log(
          `reloaded mapping rules of ${data.reloadObjectMappings.name}; state: ${state.stage} ${state.state}` +
            (state.error ? `; error: ${state.error}` : ''),
        );
    });

  return command;
}
