// The contract suite's handle on a JSON-lines source (see `tributary/testing`): a fresh directory
// per test, written as the application that owns the files would write them. Each transaction is
// one appended line, so a transaction touches one table (one file).
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TransactionalContractSource } from 'tributary/testing';
import jsonlPlugin from './index.js';

const TYPES = {
  integer: { type: 'integer' },
  text: { type: 'text' },
  decimal: { type: 'numeric', precision: 12, scale: 2 },
  boolean: { type: 'boolean' },
  timestamp: { type: 'timestamp' },
};

export class JsonlContractSource extends TransactionalContractSource {
  /** Each table's primary key and rows by JSON key, to write an update's whole new row. */
  #tables = new Map();

  constructor(directory, database) {
    super();
    this.directory = directory;
    this.database = database;
  }

  #file(table, ext) {
    return path.join(this.directory, `${table.name}${ext}`);
  }

  async createTable(name, columns, primaryKey) {
    const table = { database: this.database, schema: null, name };
    const schema = {
      columns: columns.map((column) => ({
        name: column.name,
        ...TYPES[column.type],
        nullable: !primaryKey.includes(column.name),
      })),
      primaryKey,
    };
    await writeFile(this.#file(table, '.schema.json'), JSON.stringify(schema));
    await writeFile(this.#file(table, '.jsonl'), '');
    this.#tables.set(name, { primaryKey, rows: new Map() });
    return table;
  }

  async transaction(statements) {
    const [table, ...others] = new Set(statements.map((statement) => statement.table.name));
    if (others.length > 0) throw new Error('a JSON-lines transaction is one line of one table');
    const { primaryKey, rows } = this.#tables.get(table);
    const key = (row) => JSON.stringify(primaryKey.map((column) => row[column]));
    const changes = statements.flatMap((statement) => {
      if (statement.op === 'insert') {
        for (const row of statement.rows) rows.set(key(row), row);
        return statement.rows.map((row) => ({ op: 'insert', row }));
      }
      const old = key(statement.key);
      const current = rows.get(old);
      rows.delete(old);
      if (statement.op === 'delete') return [{ op: 'delete', row: statement.key }];
      const row = { ...current, ...statement.values };
      rows.set(key(row), row);
      return [{ op: 'update', row, key: statement.key }];
    });
    await appendFile(this.#file(statements[0].table, '.jsonl'), `${JSON.stringify(changes)}\n`);
  }

  async addColumn(table, column) {
    const file = this.#file(table, '.schema.json');
    const schema = JSON.parse(await readFile(file, 'utf8'));
    schema.columns.push({ name: column.name, ...TYPES[column.type], nullable: true });
    await writeFile(file, JSON.stringify(schema));
  }

  async truncate(table) {
    this.#tables.get(table.name).rows.clear();
    await appendFile(this.#file(table, '.jsonl'), `${JSON.stringify({ op: 'truncate' })}\n`);
  }

  async [Symbol.asyncDispose]() {
    await rm(this.directory, { recursive: true, force: true });
  }
}

/** A fresh, empty directory with the plugin and a config that reaches it: the suite's `setup`. */
export async function jsonlContractTarget() {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'jsonl-contract-'));
  return {
    plugin: jsonlPlugin,
    config: {
      host: 'localhost',
      port: 1,
      user: 'files',
      password: 'unused',
      database: 'contract',
      options: { directory },
    },
    source: new JsonlContractSource(directory, 'contract'),
  };
}
