import { describe, expect, inject, it } from 'vitest';
import {
  type PostgresContractSource,
  postgresContractTarget,
} from '../plugins/postgres/postgres-contract-source.js';
import { EngineHarness } from './engine-harness.js';

/**
 * PostgreSQL types that landed as `text` before, each with a value: the destination column keeps the
 * source's type and holds the same value (compared as the source prints it).
 */
const ZOO: readonly { readonly column: string; readonly type: string; readonly value: string }[] = [
  { column: 'r4', type: 'int4range', value: '[1,10)' },
  { column: 'r8', type: 'int8range', value: '[-9223372036854775808,9223372036854775807)' },
  { column: 'rn', type: 'numrange', value: '(1.5,2.25]' },
  { column: 'rts', type: 'tsrange', value: '["2024-01-02 03:04:05.123456","2024-02-01 00:00:00")' },
  { column: 'rtz', type: 'tstzrange', value: '["2024-01-02 03:04:05.123456+00",)' },
  { column: 'rd', type: 'daterange', value: '[2024-01-01,2024-12-31)' },
  { column: 'e', type: 'int4range', value: 'empty' },
  { column: 'm4', type: 'int4multirange', value: '{[1,3),[5,8)}' },
  { column: 'm8', type: 'int8multirange', value: '{[1,2)}' },
  { column: 'mn', type: 'nummultirange', value: '{[0.5,1.5]}' },
  { column: 'mts', type: 'tsmultirange', value: '{["2024-01-01 00:00:00","2024-01-02 00:00:00")}' },
  { column: 'mtz', type: 'tstzmultirange', value: '{["2024-01-01 00:00:00+00","2024-01-02 00:00:00+00")}' },
  { column: 'md', type: 'datemultirange', value: '{[2024-01-01,2024-01-05),[2024-02-01,2024-02-03)}' },
  { column: 'jp', type: 'jsonpath', value: '$."a"[*]?(@ > 1)' },
  { column: 'ra', type: 'int4range[]', value: '{"[1,2)","[3,5)"}' },
];

describe('PostgreSQL range types at the destination', () => {
  it('keeps ranges, multiranges and jsonpath with equal values, whether copied in the snapshot or streamed', async () => {
    await using h = await EngineHarness.open(inject('targetClusterUrl'), postgresContractTarget);
    const database = (h.source as PostgresContractSource).database;
    await database.query(
      `CREATE TABLE zoo (id int PRIMARY KEY, ${ZOO.map((z) => `${z.column} ${z.type}`).join(', ')})`,
    );
    const insert = (id: number) =>
      database.query(`INSERT INTO zoo VALUES ($1, ${ZOO.map((z, i) => `$${i + 2}::${z.type}`).join(', ')})`, [
        id,
        ...ZOO.map((z) => z.value),
      ]);
    await insert(1);
    const table = { database: database.name, schema: 'public', name: 'zoo' };
    await h.addConnector('zoo', { tables: [table] });
    await h.lifecycle('startConnector', 'zoo');
    await h.waitForState('zoo', 'CHANGE_DATA_CAPTURE', 'POLLING');
    await insert(2);
    await h.waitForRows(table, [{ id: 1 }, { id: 2 }], 'id');
    // equal as values of their type (time zones included); jsonpath has no `=`, so as text
    const equal = ZOO.map((z, i) =>
      z.type === 'jsonpath'
        ? `${z.column}::text = $${i + 1}::jsonpath::text AS ${z.column}`
        : `${z.column} = $${i + 1}::${z.type} AS ${z.column}`,
    ).join(', ');
    const { rows } = await h.target.query(
      `SELECT ${equal} FROM ${h.destination(table)} ORDER BY id`,
      ZOO.map((z) => z.value),
    );
    const allEqual = Object.fromEntries(ZOO.map((z) => [z.column, true]));
    expect(rows).toEqual([allEqual, allEqual]);
    const types = await h.target.query<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attname <> 'id'`,
      [h.destination(table)],
    );
    expect(Object.fromEntries(types.rows.map((row) => [row.name, row.type]))).toEqual(
      Object.fromEntries(ZOO.map((z) => [z.column, z.type])),
    );
  });
});
