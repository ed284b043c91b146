import { describe, expect, it } from 'vitest';
import { SourceUnavailableError } from '../../../core/plugin/index.js';
import { isTransientError } from '../../../core/replication/transient-error.js';
import { createOraclePlugin } from '../../../plugins/oracle/index.js';
import { connectModel, QUICK_START, quickStartModel, quiet } from './oracle-model.js';

describe('Oracle check(tables) on the LogMiner model', () => {
  it('passes when ARCHIVELOG, supplemental logging and every privilege are there', async () => {
    const model = quickStartModel();
    await using connection = await connectModel(model);
    const checks = await connection.check(await connection.discover(['DBZUSER.ORDERS']));
    expect(checks.filter((check) => !check.ok)).toEqual([]);
    expect(checks.map((check) => check.name)).toContain('supplemental_logging_DBZUSER.ORDERS');
  });

  it('names the statement that fixes each missing prerequisite, GRANTs with CONTAINER=ALL for a common user', async () => {
    const model = quickStartModel();
    model.archivelog = false;
    model.supplementalMin = 'NO';
    model.privileges.delete('LOGMINING');
    model.roles.delete('EXECUTE_CATALOG_ROLE');
    model.table('ORDERS').allColumnLogging = false;
    await using connection = await connectModel(model);
    const failed = (await connection.check(await connection.discover(['DBZUSER.ORDERS']))).filter(
      (c) => !c.ok,
    );
    expect(Object.fromEntries(failed.map((check) => [check.name, check.hint]))).toEqual({
      archivelog:
        'as SYSDBA: SHUTDOWN IMMEDIATE; STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN;',
      supplemental_logging: 'ALTER DATABASE ADD SUPPLEMENTAL LOG DATA;',
      privilege_logmining: 'GRANT LOGMINING TO c##dbzuser CONTAINER=ALL;',
      privilege_dbms_logmnr: 'GRANT EXECUTE ON DBMS_LOGMNR TO c##dbzuser CONTAINER=ALL;',
      'supplemental_logging_DBZUSER.ORDERS':
        'ALTER TABLE "DBZUSER"."ORDERS" ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;',
    });
  });

  it('refuses a table with LONG or BFILE columns, and accepts CLOB and BLOB (assembled from LOB writes)', async () => {
    const model = quickStartModel();
    model.createTable(
      'DOCS',
      [
        { name: 'ID', dataType: 'NUMBER', nullable: false },
        { name: 'BODY', dataType: 'CLOB', nullable: true },
        { name: 'PICTURE', dataType: 'BLOB', nullable: true },
        { name: 'OLD', dataType: 'LONG', nullable: true },
      ],
      ['ID'],
    );
    await using connection = await connectModel(model);
    const failed = (await connection.check(await connection.discover(['DBZUSER.DOCS']))).filter((c) => !c.ok);
    expect(failed.map((check) => check.name)).toEqual(['unreplicable_columns_DBZUSER.DOCS']);
    expect(failed[0]?.detail).toMatch(/\(OLD long\)/);
  });

  it('treats ORA-01017 as a refused login that is never retried', async () => {
    const plugin = createOraclePlugin(async () => {
      throw Object.assign(new Error('ORA-01017: invalid credential or not authorized; logon denied'), {
        code: 'ORA-01017',
      });
    });
    const config = plugin.configSchema.parse(QUICK_START);
    const attempt = plugin.connect(config, {
      connectorName: 'c',
      log: quiet,
      signal: new AbortController().signal,
    });
    const error = await attempt.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SourceUnavailableError);
    expect((error as Error).message).toMatch(/ORA-01017/);
    expect(isTransientError(error)).toBe(false);
  });

  it('explains NJS-116 (a password verifier thin mode cannot use) and keeps retrying unreachable sources', async () => {
    const plugin = createOraclePlugin(async () => {
      throw Object.assign(
        new Error('NJS-116: password verifier type 0x939 is not supported by node-oracledb in Thin mode'),
        { code: 'NJS-116' },
      );
    });
    const config = plugin.configSchema.parse(QUICK_START);
    const error = await plugin
      .connect(config, { connectorName: 'c', log: quiet, signal: new AbortController().signal })
      .catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/SQLNET\.ALLOWED_LOGON_VERSION_SERVER/);
    expect(isTransientError(error)).toBe(true);
  });

  it('requires the schema for a common user and refuses tls require', () => {
    const plugin = createOraclePlugin();
    expect(plugin.configSchema.safeParse({ ...QUICK_START, schema: null }).success).toBe(false);
    expect(plugin.configSchema.safeParse({ ...QUICK_START, user: 'dbzuser', schema: null }).success).toBe(
      true,
    );
    const tls = plugin.configSchema.safeParse({ ...QUICK_START, options: { tls: { mode: 'require' } } });
    expect(tls.error?.issues[0]?.message).toMatch(/require is not available for Oracle/);
  });
});
