/** The GraphQL operations the console sends: all public API, nothing private. */

export interface TableProgress {
  table: string;
  status: 'PENDING' | 'COPYING' | 'DONE';
  rowsCopied: number;
  rowsEstimated: number | null;
}

export interface Stats {
  lagMs: number | null;
  totalEvents: number;
  snapshotRows: number;
  snapshotTables: number;
  badEvents: number;
  snapshotProgress: {
    running: boolean;
    table: string | null;
    rowsCopied: number;
    rowsEstimated: number | null;
    rowsPerSecond: number | null;
    etaSeconds: number | null;
    tables: TableProgress[];
  };
}

export interface State {
  stage: string;
  state: string;
  error: string | null;
  warning: string | null;
  offset: string | null;
  updatedAt: string;
}

export interface ConnectorSummary {
  name: string;
  type: string;
  host: string;
  port: number;
  database: string;
  active: boolean;
  state: State;
  stats: Stats;
}

export interface Mapping {
  kind: string;
  source: string;
  destination: string;
  enabled: boolean;
  matched: boolean | null;
  unmatchedReason: string | null;
}

export interface Attribute {
  sourceTable: string;
  sourceColumn: string;
  sourceType: string;
  destinationTable: string;
  destinationColumn: string;
  destinationType: string;
  transform: string | null;
}

export interface DeadLetter {
  id: string;
  createdAt: string;
  sourceTable: string | null;
  offset: string | null;
  error: string;
}

export interface ConnectorDetail extends ConnectorSummary {
  user: string;
  tables: string[] | null;
  errorStrategy: string;
  mappings: Mapping[];
  attributes: Attribute[];
  deadLetters: DeadLetter[];
}

export interface CheckResult {
  ok: boolean;
  checks: { name: string; ok: boolean; detail: string; hint: string | null }[];
  unknownTables: { name: string; setting: string; closest: string[] }[];
  tables: { source: string; destination: string; columns: { name: string; type: string }[] }[];
}

const STATE = 'state { stage state error warning offset updatedAt }';
const STATS = `stats { lagMs totalEvents snapshotRows snapshotTables badEvents
  snapshotProgress { running table rowsCopied rowsEstimated rowsPerSecond etaSeconds
    tables { table status rowsCopied rowsEstimated } } }`;
const SUMMARY = `name type host port database active ${STATE} ${STATS}`;

export const CONNECTORS = `query Connectors { connectors { ${SUMMARY} } }`;

export const CONNECTOR = `query Connector($name: String!) { connector(name: $name) {
  ${SUMMARY} user tables errorStrategy
  mappings { kind source destination enabled matched unmatchedReason }
  attributes { sourceTable sourceColumn sourceType destinationTable destinationColumn destinationType transform }
  deadLetters(limit: 20) { id createdAt sourceTable offset error } } }`;

export const STATE_CHANGED = `subscription StateChanged($name: String) {
  connectorStateChanged(name: $name) { name active ${STATE} } }`;

export const STATS_FEED = `subscription Stats($name: String!) {
  connectorStats(name: $name, intervalMs: 500) { lagMs totalEvents snapshotRows snapshotTables badEvents
    snapshotProgress { running table rowsCopied rowsEstimated rowsPerSecond etaSeconds
      tables { table status rowsCopied rowsEstimated } } } }`;

export const SOURCE_TYPES = 'query SourceTypes { sourceTypes { id title snapshotModes } }';

export const ADD = `mutation Add($input: AddConnectorInput!) { addConnector(input: $input) { name } }`;
export const DISCARD = `mutation Discard($name: String!) { deleteConnector(name: $name, force: true) }`;
/** The dry run of a connector not saved yet, on the input addConnector would save. */
export const CHECK_SETTINGS = `query CheckSettings($input: AddConnectorInput!) { checkConnectorSettings(input: $input) {
  ok checks { name ok detail hint } unknownTables { name setting closest }
  tables { source destination columns { name type } } } }`;

/** The lifecycle mutations, each answering the connector's new state. */
export const LIFECYCLE = {
  start: `mutation ($name: String!, $mode: SnapshotMode) { startConnector(name: $name, mode: $mode) { name } }`,
  stop: 'mutation ($name: String!) { stopConnector(name: $name) { name } }',
  pause: 'mutation ($name: String!) { pauseConnector(name: $name) { name } }',
  resume: 'mutation ($name: String!) { resumeConnector(name: $name) { name } }',
  restart: `mutation ($name: String!, $mode: SnapshotMode) { restartConnector(name: $name, mode: $mode) { name } }`,
} as const;

export type LifecycleAction = keyof typeof LIFECYCLE;
