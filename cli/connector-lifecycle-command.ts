import { Command, Option } from 'commander';
import { graphql, type ServerAddress } from './graphql-client.js';

/** What a lifecycle verb prints: the connector's name, wish and state after the mutation. */
export const CONNECTOR_STATE_FIELDS = 'name active state { stage state error warning offset updatedAt }';

export interface ConnectorStateAnswer {
  name: string;
  active: boolean;
  state: {
    stage: string;
    state: string;
    error: string | null;
    warning: string | null;
    offset: string | null;
    updatedAt: string;
  };
}

const SNAPSHOT_MODES = ['initial', 'always', 'initial_only', 'never', 'no_data', 'schemasync'];

const modeOption = (fallback: string) =>
  new Option('--mode <mode>', `snapshot mode (default: ${fallback})`).choices(SNAPSHOT_MODES);

interface Verb {
  name: string;
  mutation: string;
  done: string;
  description: string;
  withMode?: boolean;
}

const VERBS: Verb[] = [
  {
    name: 'start',
    mutation: 'startConnector',
    done: 'started',
    description: 'start replication: snapshot per --mode, then change data capture',
    withMode: true,
  },
  { name: 'stop', mutation: 'stopConnector', done: 'stopped', description: 'stop it; a start begins anew' },
  {
    name: 'pause',
    mutation: 'pauseConnector',
    done: 'paused',
    description: 'stop applying changes and keep the position',
  },
  {
    name: 'resume',
    mutation: 'resumeConnector',
    done: 'resumed',
    description: 'resume a paused connector where it stopped',
  },
  {
    name: 'restart',
    mutation: 'restartConnector',
    done: 'restarted',
    description: 're-read the settings and start again in --mode',
    withMode: true,
  },
  {
    name: 'reset-stats',
    mutation: 'resetStats',
    done: 'reset the statistics of',
    description: 'set its counters back to zero',
  },
];

/** Prints the answer of a lifecycle mutation as one line, or as JSON. */
export function printStateAnswer(
  done: string,
  answer: ConnectorStateAnswer,
  json: boolean | undefined,
): void {
  if (json) {
    console.log(JSON.stringify(answer, null, 2));
    return;
  }
  const { stage, state, error } = answer.state;
  console.log(`${done} connector ${answer.name}: ${stage} ${state}${error ? ` (error: ${error})` : ''}`);
}

function verbCommand(server: () => ServerAddress, verb: Verb): Command {
  const command = new Command(verb.name)
    .description(verb.description)
    .argument('<name>', 'connector name')
    .option('--json', 'print JSON');
  if (verb.withMode) command.addOption(modeOption('initial'));
  return command.action(async (name: string, options: { json?: boolean; mode?: string }) => {
    const withMode = verb.withMode === true && options.mode !== undefined;
    const data = await graphql<Record<string, ConnectorStateAnswer>>(
      server(),
      withMode
        ? `mutation ($name: String!, $mode: SnapshotMode) { answer: ${verb.mutation}(name: $name, mode: $mode) { ${CONNECTOR_STATE_FIELDS} } }`
        : `mutation ($name: String!) { answer: ${verb.mutation}(name: $name) { ${CONNECTOR_STATE_FIELDS} } }`,
      withMode ? { name, mode: options.mode?.toUpperCase() } : { name },
    );
    printStateAnswer(verb.done, data.answer as ConnectorStateAnswer, options.json);
  });
}

function setOffsetCommand(server: () => ServerAddress): Command {
  return new Command('set-offset')
    .description('only while paused: the stream resumes after this offset')
    .argument('<name>', 'connector name')
    .argument('<offset>', 'a source offset, as `connectors show` prints it')
    .option('--json', 'print JSON')
    .action(async (name: string, offset: string, options: { json?: boolean }) => {
      const data = await graphql<{ setOffset: ConnectorStateAnswer }>(
        server(),
        `mutation ($name: String!, $offset: String!) { setOffset(name: $name, offset: $offset) { ${CONNECTOR_STATE_FIELDS} } }`,
        { name, offset },
      );
      printStateAnswer(`set the offset of`, data.setOffset, options.json);
    });
}

/** `tributary connectors start|stop|pause|resume|restart|reset-stats|set-offset <name>`. */
export function lifecycleCommands(server: () => ServerAddress): Command[] {
  return [...VERBS.map((verb) => verbCommand(server, verb)), setOffsetCommand(server)];
}
