import { describe, expect, it } from 'vitest';
import type { RedoLiteral } from '../../../plugins/oracle/logminer/redo-literal.js';
import { convertRedoValue } from '../../../plugins/oracle/logminer/redo-value-converter.js';
import { snapshotValue } from '../../../plugins/oracle/snapshot/snapshot-value.js';

/**
 * [Oracle DATA_TYPE, the value as the snapshot fetches it (client/oracledb-session.ts: exact types
 * as text through the session's NLS formats, RAW/BLOB as Buffer, BINARY_* as numbers), the same
 * value as SQL_REDO writes it]. SynchDB's Oracle type test values where it has them.
 */
const SAME_VALUE: readonly (readonly [string, unknown, RedoLiteral])[] = [
  ['NUMBER(10,2)', '12345678.9', { form: 'string', text: '12345678.9' }],
  [
    'NUMBER(38)',
    '12345678901234567890123456789012345678',
    { form: 'string', text: '12345678901234567890123456789012345678' },
  ],
  ['NUMBER', '-.001', { form: 'string', text: '-.001' }],
  ['FLOAT(10)', '3.14', { form: 'string', text: '3.14' }],
  ['BINARY_DOUBLE', 1.5, { form: 'number', text: '1.5E+000' }],
  ['BINARY_DOUBLE', 1.7976931348623157e308, { form: 'number', text: '1.7976931348623157E+308' }],
  ['BINARY_FLOAT', Math.fround(3.14), { form: 'number', text: '3.14000010E+000' }],
  ['BINARY_FLOAT', Math.fround(0.1), { form: 'number', text: '1.00000001E-001' }],
  ['BINARY_DOUBLE', Number.NaN, { form: 'float-special', text: 'BINARY_DOUBLE_NAN' }],
  ['BINARY_DOUBLE', Number.POSITIVE_INFINITY, { form: 'float-special', text: 'BINARY_DOUBLE_INFINITY' }],
  ['BINARY_FLOAT', Number.NEGATIVE_INFINITY, { form: 'float-special', text: '-BINARY_FLOAT_INFINITY' }],
  [
    'DATE',
    '2024-01-02 03:04:05',
    { form: 'date', text: '2024-01-02 03:04:05', mask: 'YYYY-MM-DD HH24:MI:SS' },
  ],
  [
    'TIMESTAMP(9)',
    '2024-01-02 03:04:05.123456789',
    { form: 'timestamp', text: '2024-01-02 03:04:05.123456789' },
  ],
  [
    'TIMESTAMP(6)',
    '2024-12-31 23:59:59.999999000',
    { form: 'timestamp', text: '2024-12-31 23:59:59.999999' },
  ],
  [
    'TIMESTAMP(6) WITH TIME ZONE',
    '2024-01-02 03:04:05.123456000 +02:00',
    { form: 'timestamp-tz', text: '2024-01-02 03:04:05.123456 +02:00' },
  ],
  ['INTERVAL YEAR(2) TO MONTH', '+01-06', { form: 'ym-interval', text: '+01-06' }],
  [
    'INTERVAL DAY(2) TO SECOND(6)',
    '+02 03:04:05.000000',
    { form: 'ds-interval', text: '+02 03:04:05.000000' },
  ],
  ['RAW(10)', Buffer.from('0a0b0c', 'hex'), { form: 'hex', text: '0a0b0c' }],
  ['VARCHAR2(20)', "it's", { form: 'string', text: "it's" }],
  ['NVARCHAR2(20)', 'été😀', { form: 'unistr', text: 'été😀' }],
  ['CHAR(5)', 'ab   ', { form: 'string', text: 'ab   ' }],
  ['VARCHAR2(20)', null, { form: 'string', text: '' }],
];

describe('Oracle values: the snapshot and the stream agree', () => {
  it.each(SAME_VALUE)(
    'a %s value fetched as %j equals the one mined from %j',
    (dataType, fetched, literal) => {
      const fromSnapshot = snapshotValue(fetched, dataType, 'DBZUSER.TYPES', 'C');
      const fromStream = convertRedoValue(literal, dataType, 'DBZUSER.TYPES', 'C');
      expect(fromSnapshot).toEqual(fromStream);
    },
  );
});
