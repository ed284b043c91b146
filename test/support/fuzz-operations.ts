import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';

/** mulberry32: a small seeded PRNG, so a failing run replays exactly with the same seed. */
export function seededRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const int = (max: number) => Math.floor(next() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)] as T;
  return { next, int, pick, chance: (p: number) => next() < p };
}
export type Random = ReturnType<typeof seededRandom>;

/** Hostile strings: SQL metacharacters, unicode edge cases, NUL bytes, oversized values. */
export const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  'nope',
  'Nope_Connector',
  "'; DROP TABLE x; --",
  `x"; DROP TABLE tributary.connectors; --`,
  '"',
  '\\',
  '%',
  '%d',
  '_%',
  '$1',
  '$$; SELECT 1; $$',
  'a\u0000b',
  '\u0000',
  'emoji_😀_🚀',
  'עברית_rtl_\u202e',
  '\ud800',
  'x\udfffy',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-1',
  '0x10',
  '1e309',
  '__proto__',
  'constructor',
  'shop.orders',
  'a.b.c.d',
  '../../etc/passwd',
  '\r\n\t',
  '{"a":1}',
  '[1,2]',
  'x'.repeat(64),
  'Ω'.repeat(300),
];

export const HUGE_STRING = 'n'.repeat(100_000);
const INTS = [0, 1, -1, 5432, 65535, 65536, -65535, 2_147_483_647, -2_147_483_648];
const OUT_OF_RANGE = [2_147_483_648, -2_147_483_649, 2 ** 53, 1e30];
const FLOATS = [0.5, -0.0, 1e308, -1e-308, 3.14];

/** Arguments that name a connector: mutations get only names that do not exist. */
const NAME_ARGS = new Set(['name', 'connector']);

export interface FuzzContext {
  readonly random: Random;
  /** Connector names that exist; reads may use them, mutations never do. */
  readonly existing: readonly string[];
  /** Registered source types; addConnector gets them only with an existing or the scratch name. */
  readonly sourceTypes: readonly string[];
  /**
   * A connector mutations may change (start, pause, rules, delete, re-add...): its rows are the
   * only ones a fuzz run may alter. Its settings name `scratchDatabase`, a memory database.
   */
  readonly scratch: string;
  readonly scratchDatabase: string;
  /** Well-typed values only: for lifecycle operations on the scratch connector that may succeed. */
  readonly clean?: boolean;
}

export interface FuzzOperation {
  readonly kind: string;
  /** The document; for a raw request, the whole HTTP body. */
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** Set for a raw request: `query` is sent as the body with this content type. */
  readonly contentType?: string;
}

export function nastyString(ctx: FuzzContext): string {
  const { random } = ctx;
  if (random.chance(0.01)) return HUGE_STRING;
  const base = random.pick(NASTY_STRINGS);
  return random.chance(0.2) ? base + random.pick(NASTY_STRINGS) : base;
}

/** A name of no connector: a hostile string not equal to (or a case variant of) a real one. */
function missingName(ctx: FuzzContext): string {
  const taken = [...ctx.existing, ctx.scratch].map((name) => name.toLowerCase());
  for (;;) {
    const name = nastyString(ctx);
    if (!taken.includes(name.trim().toLowerCase())) return name;
  }
}

/** Any JS value except one of the right type for `type`: the "wrong types" of the fuzz. */
function wrongValue(ctx: FuzzContext): unknown {
  const { random } = ctx;
  return random.pick<() => unknown>([
    () => random.pick(INTS),
    () => random.pick(OUT_OF_RANGE),
    () => random.pick(FLOATS),
    () => nastyString(ctx),
    () => random.chance(0.5),
    () => null,
    () => ({ nested: { deeper: [1, 'two', null] } }),
    () => [nastyString(ctx), random.pick(INTS)],
    () => 'NaN',
  ])();
}

/** A value for an argument of `type`; `correct` false mixes in wrong types and nulls. */
export function valueFor(
  ctx: FuzzContext,
  type: GraphQLInputType,
  argName: string,
  mutation: boolean,
): unknown {
  const { random } = ctx;
  if (!ctx.clean && random.chance(0.06)) return wrongValue(ctx);
  if (isNonNullType(type)) return valueFor(ctx, type.ofType, argName, mutation);
  if (isListType(type)) {
    if (random.chance(0.2)) return valueFor(ctx, type.ofType, argName, mutation);
    return Array.from({ length: random.int(4) }, () => valueFor(ctx, type.ofType, argName, mutation));
  }
  if (isEnumType(type)) {
    return !ctx.clean && random.chance(0.1) ? 'NOT_A_VALUE' : random.pick(type.getValues()).name;
  }
  if (isInputObjectType(type)) {
    const value: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || random.chance(0.5))
        value[field.name] = valueFor(ctx, field.type, field.name, mutation);
    }
    if (!ctx.clean && random.chance(0.05)) value.unknownField = 1;
    return value;
  }
  if (NAME_ARGS.has(argName)) {
    if (mutation) return random.chance(0.3) ? ctx.scratch : missingName(ctx);
    return random.chance(0.6) ? missingName(ctx) : random.pick([...ctx.existing, ctx.scratch]);
  }
  switch (isScalarType(type) ? type.name : '') {
    case 'Int':
      return random.chance(0.1) ? random.pick(OUT_OF_RANGE) : random.pick(INTS);
    case 'Float':
      return random.pick(FLOATS);
    case 'Boolean':
      return random.chance(0.5);
    case 'JSON':
      return random.pick([{ sslmode: nastyString(ctx) }, [1, 2], 'x', 42, null, '{"slot": ']);
    case 'DateTime':
      return random.pick(['2026-01-31T12:00:00Z', 'yesterday', '']);
    default:
      return nastyString(ctx);
  }
}

/** The fields that take addConnector's input: the fuzz gives them only inputs addConnectorInput made. */
const CONNECTOR_INPUT_FIELDS = new Set(['addConnector', 'checkConnectorSettings']);

/**
 * addConnector adds nothing but the scratch connector: a registered type goes only with an existing
 * name (ALREADY_EXISTS at worst) or the scratch one; other names go with an unregistered type. So
 * checkConnectorSettings never makes the server connect to a host the fuzz made up either.
 */
function addConnectorInput(ctx: FuzzContext, value: unknown): unknown {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  const input = value as Record<string, unknown>;
  const { random } = ctx;
  if (random.chance(0.3)) {
    const database = random.chance(0.7) ? ctx.scratchDatabase : input.database;
    return { ...input, type: 'memory', name: ctx.scratch, database };
  }
  if (random.chance(0.4)) return { ...input, type: 'memory', name: random.pick(ctx.existing) };
  const type = typeof input.type === 'string' ? input.type.trim().toLowerCase() : '';
  return ctx.sourceTypes.includes(type) ? { ...input, type: `${type}_unregistered` } : input;
}

/**
 * A GraphQL literal for a JS value. A string is printed as a bare enum value only where `type`
 * expects an enum (wrong enum names included), so "null" stays a string elsewhere.
 */
export function literal(value: unknown, type?: GraphQLInputType): string {
  const named = type ? getNamedType(type) : undefined;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return isEnumType(named) && /^[_A-Za-z]\w*$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '1e999';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, named)).join(', ')}]`;
  const fields = isInputObjectType(named) ? named.getFields() : {};
  const entries = Object.entries(value as Record<string, unknown>).map(
    ([key, item]) => `${/^[_A-Za-z]\w*$/.test(key) ? key : 'badKey'}: ${literal(item, fields[key]?.type)}`,
  );
  return `{ ${entries.join(', ')} }`;
}

/** A selection set for `type`, a random subset of its fields up to `depth` levels. */
export function selection(ctx: FuzzContext, type: GraphQLOutputType, depth = 3): string {
  const named = getNamedType(type);
  if (isLeafType(named) || !isObjectType(named)) return '';
  const fields = Object.values(named.getFields()).filter(
    (field) => depth > 0 || isLeafType(getNamedType(field.type)),
  );
  const chosen = fields.filter(() => ctx.random.chance(0.4));
  const picked =
    chosen.length > 0 ? chosen : fields.filter((f) => isLeafType(getNamedType(f.type))).slice(0, 1);
  const parts = picked.map((field) => {
    const args = field.args.filter(() => ctx.random.chance(0.5));
    const list = args.map(
      (arg) => `${arg.name}: ${literal(valueFor(ctx, arg.type, arg.name, false), arg.type)}`,
    );
    return `${field.name}${list.length > 0 ? `(${list.join(', ')})` : ''}${selection(ctx, field.type, depth - 1)}`;
  });
  if (ctx.random.chance(0.05)) parts.push('fieldThatDoesNotExist');
  return parts.length > 0 ? ` { ${parts.join(' ')} }` : ' { __typename }';
}

export type Root = 'query' | 'mutation' | 'subscription';

/** The schema's root types among `names`, with the operation keyword of each. */
export function rootsOf(schema: GraphQLSchema, names: readonly Root[]): [Root, GraphQLObjectType][] {
  const types = {
    query: schema.getQueryType(),
    mutation: schema.getMutationType(),
    subscription: schema.getSubscriptionType(),
  };
  return names.flatMap((name) => {
    const type = types[name];
    return type ? [[name, type] as [Root, GraphQLObjectType]] : [];
  });
}

/** One operation on `field` of the root `root`: inline literals, or variables (maybe wrongly typed). */
export function fieldOperation(
  ctx: FuzzContext,
  root: Root,
  field: GraphQLField<unknown, unknown>,
  useVariables: boolean,
): FuzzOperation {
  const mutation = root !== 'query';
  // A subscription that succeeded would stay open: it always names a missing connector.
  const pinned = (arg: GraphQLArgument) => root === 'subscription' && NAME_ARGS.has(arg.name);
  const args = field.args.filter((arg) => isNonNullType(arg.type) || pinned(arg) || ctx.random.chance(0.6));
  if (root !== 'subscription' && ctx.random.chance(0.04) && args.length > 0)
    args.splice(ctx.random.int(args.length), 1);
  const values = args.map((arg: GraphQLArgument) => {
    if (pinned(arg)) return missingName(ctx);
    const value = valueFor(ctx, arg.type, arg.name, mutation);
    return CONNECTOR_INPUT_FIELDS.has(field.name) ? addConnectorInput(ctx, value) : value;
  });
  const body = selection(ctx, field.type);
  if (!useVariables) {
    const list = args.map((arg, i) => `${arg.name}: ${literal(values[i], arg.type)}`).join(', ');
    return {
      kind: `${root}.${field.name}`,
      query: `${root} { ${field.name}${list ? `(${list})` : ''}${body} }`,
    };
  }
  const declared = args.map((arg, i) => {
    const type = ctx.random.chance(0.05)
      ? ctx.random.pick(['Int', 'String!', '[Boolean]', 'Nope'])
      : String(arg.type);
    return `$v${i}: ${type}`;
  });
  const list = args.map((arg, i) => `${arg.name}: $v${i}`).join(', ');
  const variables = Object.fromEntries(values.map((value, i) => [`v${i}`, value]));
  const header = declared.length > 0 ? `(${declared.join(', ')})` : '';
  return {
    kind: `${root}.${field.name}+vars`,
    query: `${root} Fuzz${header} { ${field.name}${list ? `(${list})` : ''}${body} }`,
    variables,
  };
}

/** Documents that break the grammar, the schema or the query limits. */
export function malformedOperation(ctx: FuzzContext, schema: GraphQLSchema): FuzzOperation {
  const { random } = ctx;
  const query = schema.getQueryType();
  const fields = query ? Object.values(query.getFields()) : [];
  const valid = fieldOperation(ctx, 'query', random.pick(fields), false).query;
  const variants: [string, () => string][] = [
    ['truncated', () => valid.slice(0, random.int(valid.length))],
    [
      'garbage',
      () => Array.from({ length: random.int(200) }, () => String.fromCharCode(random.int(0xffff))).join(''),
    ],
    [
      'spliced',
      () => {
        const at = random.int(valid.length);
        return (
          valid.slice(0, at) +
          random.pick(['{', '}', '(', '$', '"', '\u0000', '...', '@skip']) +
          valid.slice(at)
        );
      },
    ],
    ['unknown-field', () => `{ doesNotExist(name: "x") { id } }`],
    ['missing-args', () => `{ connector { name } translateDataType }`],
    [
      'deep',
      () =>
        `{ __type(name: "Query") ${'{ ofType '.repeat(20 + random.int(80))}{ name }${' }'.repeat(20 + random.int(80))} }`,
    ],
    ['deep-connector', () => `{ connectors ${'{ state '.repeat(15)}{ stage }${' }'.repeat(15)} }`],
    [
      'aliases',
      () =>
        `{ ${Array.from({ length: 31 + random.int(500) }, (_, i) => `a${i}: sourceTypes { id }`).join(' ')} }`,
    ],
    ['fragment-cycle', () => `{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }`],
    ['directives', () => `{ sourceTypes @skip(if: "yes") @nope { id } }`],
    ['two-anonymous', () => `{ sourceTypes { id } } { connectors { name } }`],
    ['subscription-over-http', () => `subscription { connectorStats(name: "nope") { dmls } }`],
    ['empty', () => random.pick(['', ' ', '#only a comment', '{}'])],
    ['tokens', () => `{ ${'__typename '.repeat(10_001)}}`],
    [
      'huge-int-literal',
      () => `{ translateDataType(sourceType: "postgres", type: "int", length: ${'9'.repeat(400)}) }`,
    ],
    ['bad-escape', () => `{ connector(name: "\\u{D800}\\uD800\\x") { name } }`],
  ];
  const [kind, make] = random.pick(variants);
  return { kind: `malformed.${kind}`, query: make() };
}

/**
 * A well-formed mutation on the scratch connector (start in any mode, pause, setOffset, rules,
 * delete, re-add...), so that real state changes run between and alongside the bad input.
 */
export function scratchOperation(ctx: FuzzContext, schema: GraphQLSchema): FuzzOperation {
  const clean = { ...ctx, clean: true };
  const fields = Object.values(schema.getMutationType()?.getFields() ?? {}).filter((field) =>
    field.args.some((arg) => NAME_ARGS.has(arg.name) || isInputObjectType(getNamedType(arg.type))),
  );
  const field = ctx.random.pick(fields);
  const args = field.args.map((arg) => {
    if (NAME_ARGS.has(arg.name)) return `${arg.name}: ${JSON.stringify(ctx.scratch)}`;
    const value =
      field.name === 'addConnector'
        ? {
            name: ctx.scratch,
            type: 'memory',
            host: 'h',
            port: 1,
            user: 'u',
            password: 'p',
            database: ctx.scratchDatabase,
          }
        : valueFor(clean, arg.type, arg.name, true);
    return `${arg.name}: ${literal(value, arg.type)}`;
  });
  const body = isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
  return { kind: `scratch.${field.name}`, query: `mutation { ${field.name}(${args.join(', ')})${body} }` };
}

/** Bodies that are not well-formed GraphQL-over-HTTP requests at all, some over `bodyBytes`. */
export function rawRequest(ctx: FuzzContext, bodyBytes: number): FuzzOperation {
  const json = 'application/json';
  const [kind, query, contentType] = ctx.random.pick<() => [string, string, string]>([
    () => ['truncated-json', '{"query": ', json],
    () => ['query-number', JSON.stringify({ query: 42 }), json],
    () => ['variables-array', JSON.stringify({ query: '{ sourceTypes { id } }', variables: [1, 2] }), json],
    () => [
      'operation-name-number',
      JSON.stringify({ query: '{ sourceTypes { id } }', operationName: 7 }),
      json,
    ],
    () => ['batch', JSON.stringify([{ query: '{ sourceTypes { id } }' }]), json],
    () => [
      'too-large',
      JSON.stringify({ query: `{ connector(name: "${'x'.repeat(bodyBytes)}") { name } }` }),
      json,
    ],
    () => ['text-plain', JSON.stringify({ query: nastyString(ctx) }), 'text/plain'],
    () => ['control-bytes', '\u0000\u0001\u0002', json],
  ])();
  return { kind: `raw.${kind}`, query, contentType };
}
