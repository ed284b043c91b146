import { describe, expect, inject, it } from 'vitest';
import type { TableRef } from '../../core/plugin/index.js';
import { OracleModelContractSource } from '../plugins/oracle/oracle-contract-source.js';
import { modelPlugin, QUICK_START } from '../plugins/oracle/oracle-model.js';
import { LogMinerModel } from '../support/logminer-model/logminer-model.js';
import { EngineHarness } from './engine-harness.js';

const DOCS: TableRef = { database: 'FREE', schema: 'DBZUSER', name: 'DOCS' };
const long = (seed: string) => `${seed} ${"it's long, ".repeat(8)}été 😀`;
const bytes = (length: number, step: number) =>
  Buffer.from(Array.from({ length }, (_, i) => (i * step) % 256));

// CLOB and BLOB columns end to end on the LogMiner model: values longer than a row are written by
// LogMiner as SEL_LOB_LOCATOR + LOB_WRITE operations, which the plugin assembles.
describe('Oracle LOB columns through the engine (LogMiner model)', () => {
  it('copies CLOB and BLOB columns into text and bytea, then applies LOB values written through their locators', async () => {
    const model = new LogMinerModel('DBZUSER');
    model.createTable(
      'DOCS',
      [
        { name: 'ID', dataType: 'NUMBER', precision: 9, scale: 0, nullable: false },
        { name: 'BODY', dataType: 'CLOB', nullable: true },
        { name: 'PICTURE', dataType: 'BLOB', nullable: true },
      ],
      ['ID'],
    );
    const row = (id: string, body: string, picture: Buffer) => ({
      ID: id,
      BODY: body,
      PICTURE: picture.toString('hex'),
    });
    model.commit([{ op: 'insert', table: 'DOCS', row: row('1', long('first'), bytes(60, 7)) }]);
    await using h = await EngineHarness.open(inject('targetClusterUrl'), async () => ({
      plugin: modelPlugin(model),
      config: QUICK_START,
      source: new OracleModelContractSource(model),
    }));
    await h.addConnector('lobs', { tableNames: ['DBZUSER.DOCS'] });
    await h.lifecycle('startConnector', 'lobs');
    await h.waitForState('lobs', 'CHANGE_DATA_CAPTURE', 'POLLING');
    const { rows: types } = await h.target.query<{ type: string }>(
      `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = '"free"."docs"'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(types.map((t) => t.type)).toEqual(['integer', 'text', 'bytea']);

    model.commit([{ op: 'insert', table: 'DOCS', row: row('2', long('second'), bytes(90, 11)) }]);
    model.commit([
      { op: 'update', table: 'DOCS', key: { ID: '1' }, values: { BODY: long('first, edited') } },
    ]);
    await h.waitForRows(
      DOCS,
      [
        { id: 1, body: long('first, edited'), picture: bytes(60, 7).toString('hex') },
        { id: 2, body: long('second'), picture: bytes(90, 11).toString('hex') },
      ],
      `id, body, encode(picture, 'hex') AS picture`,
    );
  });
});
