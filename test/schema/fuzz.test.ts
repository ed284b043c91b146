import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dropMemoryDatabase, MemoryDatabase, registerMemoryDatabase } from '../../plugins/memory/index.js';
import { QUERY_LIMITS } from '../../schema/query-limits.js';
import {
  type FuzzContext,
  type FuzzOperation,
  fieldOperation,
  malformedOperation,
  type Root,
  rawRequest,
  rootsOf,
  scratchOperation,
  seededRandom,
} from '../support/fuzz-operations.js';
import { gql } from '../support/graphql-http.js';
import { wsClient } from '../support/graphql-ws-client.js';
import { wsQuery } from '../support/graphql-ws-query.js';
import { useFileServer } from '../support/test-runtime.js';

/**
 * Fuzzes the API with generated operations and checks that bad input only ever gets an expected
 * error. Replay a failing run with FUZZ_SEED=<the printed seed>.
 *
 * What may change: only the scratch connector. Mutation arguments naming a connector (`name`,
 * `connector`) name either the scratch connector (so start, pause, setOffset, rules, delete and
 * re-add run for real, on a memory source) or one that does not exist; addConnector gets a
 * registered type only with the scratch name or a fixture's (ALREADY_EXISTS). Reads may name any
 * connector. So every row of every tributary.* table not belonging to the scratch connector must
 * be identical before and after: the fixtures' rows show whether a failed operation wrote anything.
 */

const ALLOWED_CODES = new Set([
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'INVALID_INPUT',
  'INVALID_STATE',
  'UNSUPPORTED',
  'SOURCE_ERROR',
  'UNAUTHENTICATED',
]);
const HTTP_OPERATIONS = 2_000;
const WS_OPERATIONS = 200;
const CONCURRENCY = 4;
const HEALTH_EVERY = 100;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const FIXTURES = ['fuzz_alpha', 'fuzz_beta'];
const SCRATCH = 'fuzz_scratch';
const SCRATCH_DATABASE = `fuzz_${process.pid}`;

/** Inputs the fuzzer found to break the server: [what, request body, content type, code]. */
const REGRESSIONS: [string, string, string, string][] = [
  // PostgreSQL refuses NUL in text (22021) and \u0000 in jsonb (22P05): were INTERNAL_SERVER_ERROR.
  ['a NUL byte in a looked-up name', '{ connector(name: "a\\u0000b") { name } }', 'json', 'INVALID_INPUT'],
  [
    'a NUL byte in a mutation name',
    'mutation { resetStats(name: "\\u0000") { name } }',
    'json',
    'INVALID_INPUT',
  ],
  [
    'a NUL byte in a mapping source',
    'mutation { addObjectMapping(connector: "fuzz_beta", kind: TABLE, source: "a\\u0000", destination: "b") { kind } }',
    'json',
    'INVALID_INPUT',
  ],
  [
    'a NUL byte in JSON options',
    'mutation { updateConnector(name: "fuzz_beta", input: { options: { slotName: "s\\u0000" } }) { name } }',
    'json',
    'INVALID_INPUT',
  ],
  // yoga's own code for "Could not determine what operation to execute" passed through unmapped.
  ['two anonymous operations', '{ sourceTypes { id } } { connectors { name } }', 'json', 'INVALID_INPUT'],
  [
    'a non-string operationName',
    '{"query": "{ sourceTypes { id } }", "operationName": 7}',
    'raw',
    'INVALID_INPUT',
  ],
  // An unsupported content type got an empty 415 body, no GraphQL error.
  ['a text/plain body', '{ sourceTypes { id } }', 'text/plain', 'INVALID_INPUT'],
];

interface Outcome {
  readonly status: number;
  readonly text: string;
  readonly errors?: { message: string; extensions?: { code?: string } }[];
}

const harness = useFileServer(inject('targetClusterUrl'));
let schema: GraphQLSchema;
let ctx: FuzzContext;

beforeAll(async () => {
  console.info(`fuzz seed: ${SEED} (replay with FUZZ_SEED=${SEED})`);
  schema = buildSchema(readFileSync(new URL('../../schema/schema.graphql', import.meta.url), 'utf8'));
  const source = registerMemoryDatabase(new MemoryDatabase(SCRATCH_DATABASE));
  source.createTable('orders', {
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'Item Name', type: 'text' },
    ],
    primaryKey: ['id'],
  });
  source.insert('orders', [
    { id: 1, 'Item Name': 'apple' },
    { id: 2, 'Item Name': "'; DROP TABLE x; --" },
  ]);
  for (const name of [...FIXTURES, SCRATCH]) {
    const database = name === SCRATCH ? SCRATCH_DATABASE : 'd';
    const added = await gql(
      harness.server.url,
      'mutation ($input: AddConnectorInput!) { addConnector(input: $input) { name } }',
      { input: { name, type: 'memory', host: 'h', port: 5432, user: 'u', password: 'p', database } },
    );
    expect(added.errors).toBeUndefined();
    const mapped = await gql(
      harness.server.url,
      `mutation { addObjectMapping(connector: "${name}", kind: TABLE, source: "shop.orders", destination: "public.orders") { source } }`,
    );
    expect(mapped.errors).toBeUndefined();
  }
  const types = await gql<{ sourceTypes: { id: string }[] }>(harness.server.url, '{ sourceTypes { id } }');
  ctx = {
    random: seededRandom(SEED),
    existing: FIXTURES,
    sourceTypes: types.data?.sourceTypes.map((type) => type.id) ?? [],
    scratch: SCRATCH,
    scratchDatabase: SCRATCH_DATABASE,
  };
});
afterAll(async () => {
  dropMemoryDatabase(SCRATCH_DATABASE);
});

/**
 * Every row of every tributary.* table but the scratch connector's, as sorted JSON per table; the
 * audit trail, which records every attempt by design, aside.
 */
async function snapshot(): Promise<Record<string, string[]>> {
  const { rows } = await harness.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables
      WHERE table_schema = 'tributary' AND table_name <> 'audit_log' ORDER BY 1`,
  );
  const tables: Record<string, string[]> = {};
  for (const { table_name } of rows) {
    const content = await harness.db.query<{ row: string }>(
      `SELECT to_jsonb(t)::text AS row FROM tributary."${table_name}" t
        WHERE coalesce(to_jsonb(t)->>'connector', to_jsonb(t)->>'name', '') <> $1`,
      [SCRATCH],
    );
    tables[table_name] = content.rows.map((row) => row.row).sort();
  }
  return tables;
}

async function post(body: string, contentType = 'application/json'): Promise<Outcome> {
  const response = await fetch(harness.server.url, {
    method: 'POST',
    headers: { 'content-type': contentType, accept: 'application/graphql-response+json' },
    body,
  });
  const text = await response.text();
  let parsed: { errors?: Outcome['errors'] } = {};
  try {
    parsed = JSON.parse(text) as typeof parsed;
  } catch {
    // judged below: a failure without a JSON body carries no code
  }
  return { status: response.status, text, errors: parsed.errors };
}

/** What is wrong with an outcome, or null when it is a success or an expected error. */
function problem(outcome: Outcome): string | null {
  if (outcome.status >= 500) return `HTTP ${outcome.status}`;
  if (outcome.status >= 400 && !outcome.errors?.length)
    return `HTTP ${outcome.status} without GraphQL errors`;
  for (const error of outcome.errors ?? []) {
    const code = error.extensions?.code;
    if (!code || !ALLOWED_CODES.has(code)) return `error code ${code} (${error.message})`;
  }
  return null;
}

/** The next generated operation for HTTP: mostly schema fields, then malformed documents. */
function nextOperation(roots: [Root, GraphQLObjectType][]): FuzzOperation {
  const { random } = ctx;
  if (random.chance(0.2)) return malformedOperation(ctx, schema);
  if (random.chance(0.1)) return scratchOperation(ctx, schema);
  const [root, type] = random.pick(roots);
  const field = random.pick(Object.values(type.getFields()));
  return fieldOperation(ctx, root, field, random.chance(0.4));
}

async function healthy(): Promise<void> {
  const health = await fetch(harness.server.url.replace(/\/graphql$/, '/healthz'));
  expect(health.status).toBe(200);
  const result = await gql<{ sourceTypes: unknown[] }>(harness.server.url, '{ sourceTypes { id } }');
  expect(result.errors).toBeUndefined();
  expect(result.data?.sourceTypes.length).toBeGreaterThan(0);
}

describe(`fuzzing the API (seed ${SEED})`, () => {
  it('answers generated bad input with expected errors only, and changes nothing', async () => {
    const before = await snapshot();
    const roots = rootsOf(schema, ['query', 'mutation']);
    // Every field of every root first, once inline and once with variables; then random ones.
    // All generated up front, so a seed replays the same requests whatever the timing.
    const planned: FuzzOperation[] = [];
    for (const [root, type] of roots) {
      for (const field of Object.values(type.getFields())) {
        planned.push(fieldOperation(ctx, root, field, false));
        planned.push(fieldOperation(ctx, root, field, true));
      }
    }
    while (planned.length < HTTP_OPERATIONS) {
      planned.push(ctx.random.chance(0.03) ? rawRequest(ctx, QUERY_LIMITS.bodyBytes) : nextOperation(roots));
    }

    const failures: string[] = [];
    const tally = new Map<string, number>();
    let sent = 0;
    const worker = async () => {
      for (let op = planned.shift(); op; op = planned.shift()) {
        const outcome = op.contentType
          ? await post(op.query, op.contentType)
          : await post(JSON.stringify({ query: op.query, variables: op.variables }));
        const found = problem(outcome);
        const code =
          outcome.errors?.[0]?.extensions?.code ?? (outcome.status === 200 ? 'ok' : outcome.status);
        const key =
          code === 'ok' && !op.kind.startsWith('query') && !op.kind.startsWith('raw')
            ? `ok ${op.kind.split('.')[0]}`
            : String(code);
        tally.set(key, (tally.get(key) ?? 0) + 1);
        const variables = JSON.stringify(op.variables ?? {}).slice(0, 300);
        if (found) failures.push(`${op.kind}: ${found}\n  ${op.query.slice(0, 300)}\n  ${variables}`);
        if (++sent % HEALTH_EVERY === 0) await healthy();
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    await healthy();
    console.info(`fuzz: ${sent} HTTP operations`, Object.fromEntries(tally));

    const wsFailures = await fuzzWebSocket();
    const internal = harness.server.logs.filter((line) =>
      line.includes('internal error in a GraphQL operation'),
    );
    if (internal.length > 0) console.error(internal.map((line) => line.slice(0, 2000)).join('\n'));
    expect([...failures, ...wsFailures], `seed ${SEED}`).toEqual([]);
    expect(await snapshot(), `seed ${SEED}: stored data changed`).toEqual(before);
    expect(sent).toBeGreaterThanOrEqual(HTTP_OPERATIONS);
    // a fixed number of operations, each one audited when it is a mutation: bounded by count, not time
  }, 240_000);
});

describe('inputs the fuzzer found', () => {
  it.each(REGRESSIONS)('answers %s with an expected error code', async (_what, body, type, code) => {
    const outcome =
      type === 'json'
        ? await post(JSON.stringify({ query: body }))
        : await post(body, type === 'raw' ? 'application/json' : type);
    expect(problem(outcome)).toBeNull();
    expect(outcome.errors?.[0]?.extensions?.code).toBe(code);
  });

  it('answers addObjectMapping racing deleteConnector NOT_FOUND, not a foreign key violation', async () => {
    const add = `mutation { addConnector(input: { name: "fuzz_race", type: "memory", host: "h", port: 1,
      user: "u", password: "p", database: "d" }) { name } }`;
    const map =
      'mutation { addObjectMapping(connector: "fuzz_race", kind: TABLE, source: "a", destination: "b") { kind } }';
    for (let round = 0; round < 20; round++) {
      expect((await post(JSON.stringify({ query: add }))).errors).toBeUndefined();
      const outcomes = await Promise.all([
        post(JSON.stringify({ query: 'mutation { deleteConnector(name: "fuzz_race") }' })),
        post(JSON.stringify({ query: map })),
      ]);
      expect(outcomes.map(problem)).toEqual([null, null]);
    }
  });

  it('answers connectorStateChanged with an empty name NOT_FOUND instead of following every connector', async () => {
    const client = wsClient(harness.server.url);
    try {
      const outcome = await wsQuery(client, 'subscription { connectorStateChanged(name: "") { name } }');
      expect(outcome.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    } finally {
      await client.dispose();
    }
  }, 10_000);
});

/** A smaller share over graphql-ws, subscriptions included (all naming missing connectors). */
async function fuzzWebSocket(): Promise<string[]> {
  const client = wsClient(harness.server.url);
  const roots = rootsOf(schema, ['query', 'mutation', 'subscription']);
  const failures: string[] = [];
  try {
    const operations = Array.from({ length: WS_OPERATIONS }, () => {
      if (ctx.random.chance(0.2)) return malformedOperation(ctx, schema);
      const [root, type] = ctx.random.pick(roots);
      const field = ctx.random.pick(Object.values(type.getFields()));
      return fieldOperation(ctx, root, field, false);
    });
    const worker = async () => {
      for (let op = operations.shift(); op; op = operations.shift()) {
        const outcome = await Promise.race([
          wsQuery(client, op.query),
          new Promise<{ timeout: true }>((resolve) => setTimeout(() => resolve({ timeout: true }), 5_000)),
        ]);
        const found =
          'timeout' in outcome
            ? 'no answer within 5 s'
            : outcome.close
              ? `socket closed ${outcome.close.code} ${outcome.close.reason}`
              : (outcome.errors ?? [])
                  .map((error) => error.extensions?.code)
                  .filter((code) => !code || !ALLOWED_CODES.has(code))
                  .map((code) => `error code ${code}`)[0];
        if (found) failures.push(`ws ${op.kind}: ${found}\n  ${op.query.slice(0, 300)}`);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  } finally {
    await client.dispose();
  }
  await healthy();
  return failures;
}
