// A third-party source plugin, as an author would publish it: a directory of JSON-lines files, one
// per table. `<table>.schema.json` describes the table ({ columns: [{ name, type }], primaryKey });
// `<table>.jsonl` is its history, one change a line: {"op":"insert"|"update"|"delete","row":{...}}.
// An offset is every file's byte position, in table-name order (`orders=000000000123;...`): files
// only grow, so the string grows with every line and sorts in history order.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineSourcePlugin, SourceUnavailableError } from 'tributary/plugin';
import { baseConnectionConfig } from 'tributary/plugin-kit';

const WIDTH = 12;
const formatOffset = (positions) =>
  [...positions]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([name, at]) => `${name}=${String(at).padStart(WIDTH, '0')}`)
    .join(';');
const parseOffset = (offset) =>
  new Map(
    offset === ''
      ? []
      : offset.split(';').map((part) => {
          const [name, at] = part.split('=');
          return [name, Number(at)];
        }),
  );

/** The complete lines of `file` between byte `from` and byte `to`, with the position after each. */
async function readLines(file, from, to) {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return [];
  try {
    const buffer = Buffer.alloc(Math.max(0, to - from));
    await handle.read(buffer, 0, buffer.length, from);
    const lines = [];
    let start = 0;
    for (let end = buffer.indexOf(10); end !== -1; end = buffer.indexOf(10, start)) {
      const text = buffer.subarray(start, end).toString('utf8').trim();
      start = end + 1;
      if (text !== '') lines.push({ change: JSON.parse(text), after: from + start });
    }
    return lines;
  } finally {
    await handle.close();
  }
}

const sizeOf = async (file) => (await stat(file).catch(() => ({ size: 0 }))).size;
const compareKeys = (a, b) => {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  return 0;
};

function connection(config) {
  const directory = config.options.directory;
  const file = (name, ext) => path.join(directory, `${name}${ext}`);
  const positions = async (tables) =>
    new Map(
      await Promise.all(tables.map(async (t) => [t.ref.name, await sizeOf(file(t.ref.name, '.jsonl'))])),
    );
  const keyOf = (table, row) => table.primaryKey.map((column) => row[column]);

  return {
    async check() {
      const found = await stat(directory).catch(() => null);
      return [
        {
          name: 'directory',
          ok: found?.isDirectory() ?? false,
          detail: found ? `${directory} exists` : `${directory} not found`,
          hint: found ? undefined : `create ${directory}`,
        },
      ];
    },
    async discover(selection) {
      const names = (await readdir(directory))
        .filter((entry) => entry.endsWith('.schema.json'))
        .map((entry) => entry.slice(0, -'.schema.json'.length))
        .filter((name) => selection === null || selection.includes(`${config.database}.${name}`));
      return Promise.all(
        names.sort().map(async (name) => {
          const schema = JSON.parse(await readFile(file(name, '.schema.json'), 'utf8'));
          return {
            ref: { database: config.database, schema: null, name },
            columns: schema.columns.map((column, i) => ({ nullable: true, ...column, position: i + 1 })),
            primaryKey: schema.primaryKey ?? [],
          };
        }),
      );
    },
    async headOffset() {
      return formatOffset(await positions(await this.discover(null)));
    },
    async startCapture(tables) {
      const pinned = await positions(tables);
      return {
        startOffset: formatOffset(pinned),
        // the snapshot replays each file up to the pinned position
        async *readTable(table, { afterKey, batchSize }) {
          const rows = new Map();
          for (const { change } of await readLines(
            file(table.ref.name, '.jsonl'),
            0,
            pinned.get(table.ref.name),
          )) {
            const key = JSON.stringify(keyOf(table, change.row));
            if (change.op === 'delete') rows.delete(key);
            else rows.set(key, { ...rows.get(key), ...change.row });
          }
          const sorted = [...rows.values()]
            .filter((row) => !afterKey || compareKeys(keyOf(table, row), afterKey) > 0)
            .sort((a, b) => compareKeys(keyOf(table, a), keyOf(table, b)));
          for (let i = 0; i < sorted.length; i += batchSize) yield sorted.slice(i, i + batchSize);
        },
        async [Symbol.asyncDispose]() {},
      };
    },
    // the stream: lines appended after `from`, polled, one checkpoint after each line
    async *readChanges(from, { tables, signal }) {
      const at = parseOffset(from);
      for (const table of tables) if (!at.has(table.ref.name)) at.set(table.ref.name, 0);
      while (!signal.aborted) {
        let idle = true;
        for (const table of tables) {
          const name = table.ref.name;
          const jsonl = file(name, '.jsonl');
          for (const { change, after } of await readLines(jsonl, at.get(name), await sizeOf(jsonl))) {
            idle = false;
            at.set(name, after);
            const offset = formatOffset(at);
            const key = Object.fromEntries(table.primaryKey.map((column) => [column, change.row[column]]));
            yield {
              kind: 'change',
              op: change.op,
              table: table.ref,
              before: change.op === 'insert' ? undefined : key,
              after: change.op === 'delete' ? undefined : change.row,
              commitOffset: offset,
            };
            yield { kind: 'checkpoint', offset };
          }
        }
        if (idle) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async ack() {},
    async dropCapture() {},
    async close() {},
    async [Symbol.asyncDispose]() {},
  };
}

export default defineSourcePlugin({
  apiVersion: 1,
  kind: 'jsonl',
  title: 'JSON-lines files',
  // host, port, user and password are required by every connector but unused here
  configSchema: baseConnectionConfig,
  capabilities: { handoff: 'exact', schemaChanges: 'none' },
  snapshotModes: ['initial', 'never'],
  hasSchemas: false,
  defaultTargetType: (column) => column.type,
  validateOffset: (offset) =>
    /^([^=;]+=\d{12})(;[^=;]+=\d{12})*$/.test(offset) ? null : 'offsets look like orders=000000000123',
  captureArtifacts: () => [],
  async connect(config) {
    if (typeof config.options.directory !== 'string') {
      throw new SourceUnavailableError('options.directory must name the directory of .jsonl files');
    }
    return connection(config);
  },
});
