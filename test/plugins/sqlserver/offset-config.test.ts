import { describe, expect, it } from 'vitest';
import { sqlServerPlugin } from '../../../plugins/sqlserver/index.js';
import { formatLsn, offsetOfLsn, parseLsn } from '../../../plugins/sqlserver/offset.js';

const base = { host: 'db', user: 'sa', password: 'pw', database: 'testDB' };

describe('sqlserver offsets', () => {
  it('writes an LSN as 20 upper-case hex digits whose string order is LSN order', () => {
    const low = formatLsn(Buffer.from('0000002b000004d80004', 'hex'));
    const high = formatLsn(Buffer.from('0000002b000004d90001', 'hex'));
    expect(low).toBe('0000002B000004D80004');
    expect(low < high).toBe(true);
    expect(parseLsn(low).equals(Buffer.from('0000002b000004d80004', 'hex'))).toBe(true);
  });

  it("reads sys.dm_db_log_stats' text form of an LSN", () => {
    expect(offsetOfLsn('0000002b:000004d8:0004')).toBe('0000002B000004D80004');
    expect(offsetOfLsn('2b:4d8:4')).toBe('0000002B000004D80004');
  });

  it("explains the format and Debezium's commit_lsn mapping for a malformed offset", () => {
    expect(sqlServerPlugin.validateOffset('0000002B000004D80004')).toBeNull();
    expect(sqlServerPlugin.validateOffset('0000002b:000004d8:0004')).toMatch(
      /20 upper-case hex digits, e\.g\. 0000002B000004D80004 \(Debezium's commit_lsn 0000002b:000004d8:0004/,
    );
    expect(sqlServerPlugin.validateOffset('0000002b000004d80004')).not.toBeNull();
  });
});

describe('sqlserver config', () => {
  it('defaults the port to 1433, the schema to dbo and the poll interval', () => {
    const config = sqlServerPlugin.configSchema.parse(base);
    expect(config).toMatchObject({
      port: 1433,
      schema: 'dbo',
      options: { pollIntervalMs: 1000, pageSize: 1000 },
    });
  });

  it('refuses verify-ca, which tedious cannot express, and client certificates', () => {
    const verifyCa = sqlServerPlugin.configSchema.safeParse({
      ...base,
      options: { tls: { mode: 'verify-ca', ca: '/ca.pem' } },
    });
    expect(verifyCa.error?.issues[0]?.message).toMatch(/verify-ca cannot be expressed.*use verify-full/);
    const cert = sqlServerPlugin.configSchema.safeParse({
      ...base,
      options: { tls: { mode: 'verify-full', cert: '/c.pem', key: '/k.pem' } },
    });
    expect(cert.error?.issues[0]?.message).toMatch(/no client certificates/);
  });

  it('refuses unknown options', () => {
    expect(sqlServerPlugin.configSchema.safeParse({ ...base, options: { pollInterval: 5 } }).success).toBe(
      false,
    );
  });
});
