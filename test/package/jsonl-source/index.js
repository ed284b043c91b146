// A third-party source plugin, as an author would publish it: a directory of JSON-lines files, one
// per table. `<table>.schema.json` describes the table ({ columns: [{ name, type, precision?,
// scale?, nullable? }], primaryKey }); `<table>.jsonl` is its history, one transaction a line: a
// change, or an array of changes committed together. A change is {"op":"insert","row":{...}},
// {"op":"update","row":{...the whole new row},"key":{...the old key, when the key changed}},
// {"op":"delete","row":{...the key}} or {"op":"truncate"}. Rows of a table without a primary key
// can only be inserted.
// An offset is every file's byte position, in table-name order (`orders=000000000123;...`): files
// only grow, so the string grows with every line and sorts in history order.
import { open, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { defineSourcePlugin, SourceUnavailableError } from 'tributary/plugin';
import { baseConnectionConfig, passThrough } from 'tributary/plugin-kit';

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

/** The transactions (complete lines) of `file` between byte `from` and byte `to`, each with the position after it. */
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
      if (text !== '') lines.push({ changes: [JSON.parse(text)].flat(), after: from + start });
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
const keyOf = (table, row) => table.primaryKey.map((column) => row[column]);
const keyRow = (table, row) => Object.fromEntries(table.primaryKey.map((column) => [column, row[column]]));

/** Applies one change to `rows` (the table's rows by JSON key), as the snapshot replays a file. */
function replay(table, rows, change) {
  if (change.op === 'truncate') return rows.clear();
  if (table.primaryKey.length === 0) return rows.set(rows.size, change.row);
  const old = JSON.stringify(keyOf(table, change.key ?? change.row));
  const previous = rows.get(old);
  rows.delete(old);
  if (change.op !== 'delete')
    rows.set(JSON.stringify(keyOf(table, change.row)), { ...previous, ...change.row });
}

/** A line's change as the source event the engine expects. */
function toEvent(table, change, commitOffset) {
  if (change.op === 'truncate') return { kind: 'truncate', tables: [table.ref], commitOffset };
  return {
    kind: 'change',
    op: change.op,
    table: table.ref,
    before: change.op === 'insert' ? undefined : keyRow(table, change.key ?? change.row),
    after: change.op === 'delete' ? undefined : change.row,
    commitOffset,
  };
}

function connection(config) {
  const directory = config.options.directory;
  const file = (name, ext) => path.join(directory, `${name}${ext}`);
  const positions = async (tables) =>
    new Map(
      await Promise.all(tables.map(async (t) => [t.ref.name, await sizeOf(file(t.ref.name, '.jsonl'))])),
    );

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
    async startCapture(tables) {
      const pinned = await positions(tables);
      return {
        startOffset: formatOffset(pinned),
        // the snapshot replays each file up to the pinned position
        async *readTable(table, { afterKey, batchSize, signal }) {
          const rows = new Map();
          const jsonl = file(table.ref.name, '.jsonl');
          for (const { changes } of await readLines(jsonl, 0, pinned.get(table.ref.name))) {
            for (const change of changes) replay(table, rows, change);
          }
          const sorted = [...rows.values()]
            .filter((row) => !afterKey || compareKeys(keyOf(table, row), afterKey) > 0)
            .sort((a, b) => compareKeys(keyOf(table, a), keyOf(table, b)));
          for (let i = 0; i < sorted.length; i += batchSize) {
            signal.throwIfAborted();
            yield sorted.slice(i, i + batchSize);
          }
          signal.throwIfAborted();
        },
        async [Symbol.asyncDispose]() {},
      };
    },
    // the stream: lines appended after `from`, polled, one checkpoint after each line (transaction)
    async *readChanges(from, { tables, signal }) {
      const at = parseOffset(from);
      for (const table of tables) if (!at.has(table.ref.name)) at.set(table.ref.name, 0);
      while (!signal.aborted) {
        let idle = true;
        for (const table of tables) {
          const name = table.ref.name;
          const jsonl = file(name, '.jsonl');
          for (const { changes, after } of await readLines(jsonl, at.get(name), await sizeOf(jsonl))) {
            idle = false;
            at.set(name, after);
            const offset = formatOffset(at);
            for (const change of changes) yield toEvent(table, change, offset);
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
  // `numeric` with precision 12 and scale 2 becomes numeric(12,2)
  defaultTargetType: (column) => passThrough(column.type, column),
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
