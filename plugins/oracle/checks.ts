import { type PrerequisiteCheck, type SourceTable } from '../../core/plugin/index.js';
import { prerequisiteCheck, qualifiedName } from '../../core/plugin/kit.js';
import type { OracleSession } from './client/session.js';
import {
  ALL_COLUMN_LOGGING,
  DATABASE_STATE,
  OBJECT_GRANTS,
  quotedTable,
  SESSION_PRIVILEGES,
  SESSION_ROLES,
} from './client/sql.js';

/**
 * Column types whose changes this plugin cannot replicate: BFILE (a pointer to a file outside the
 * database), LONG / LONG RAW (no LOB locator operations to assemble) and XMLTYPE. CLOB, NCLOB and
 * BLOB writes are assembled from their LOB operations (`logminer/lob-writes.ts`).
 */
export const UNREPLICABLE_TYPES = new Set(['bfile', 'long', 'long raw', 'xmltype']);

/** System privileges the capture needs, each with what it is for. */
const SYSTEM_PRIVILEGES: readonly (readonly [string, string])[] = [
  ['CREATE SESSION', 'to log in'],
  ['LOGMINING', 'to run DBMS_LOGMNR'],
  ['SELECT ANY TRANSACTION', 'to read V$LOGMNR_CONTENTS'],
  ['FLASHBACK ANY TABLE', 'for the snapshot (SELECT … AS OF SCN)'],
  ['SELECT ANY TABLE', 'to read the tables (or SELECT on each table)'],
  ['CREATE TABLE', 'for the redo flush table'],
];

/** Views mining reads: covered by SELECT ANY DICTIONARY / SELECT_CATALOG_ROLE, or granted one by one. */
const VIEWS = [
  'V_$DATABASE',
  'V_$LOG',
  'V_$LOGFILE',
  'V_$ARCHIVED_LOG',
  'V_$LOGMNR_CONTENTS',
  'V_$TRANSACTION',
];

/**
 * The prerequisites of LogMiner capture for `user` and `tables`, each failure with the statement
 * that fixes it (GRANTs for a common user `C##…` end in `CONTAINER=ALL`). Tables with BFILE,
 * LONG, LONG RAW or XMLTYPE columns fail their check (see README).
 */
export async function checkPrerequisites(
  session: OracleSession,
  user: string,
  tables: readonly SourceTable[] | undefined,
  pdb?: string,
): Promise<PrerequisiteCheck[]> {
  const [database] = await session.execute(DATABASE_STATE);
  const checks: PrerequisiteCheck[] = [];
  const logMode = String(database?.LOG_MODE ?? 'unknown');
  checks.push(
    prerequisiteCheck('archivelog', logMode === 'ARCHIVELOG', `the database is in ${logMode} mode`, {
      hint: 'as SYSDBA: SHUTDOWN IMMEDIATE; STARTUP MOUNT; ALTER DATABASE ARCHIVELOG; ALTER DATABASE OPEN;',
    }),
  );
  const minimal = String(database?.SUPPLEMENTAL_LOG_DATA_MIN ?? 'NO');
  checks.push(
    prerequisiteCheck(
      'supplemental_logging',
      minimal === 'YES' || minimal === 'IMPLICIT',
      `minimal supplemental logging is ${minimal}`,
      { hint: 'ALTER DATABASE ADD SUPPLEMENTAL LOG DATA;' },
    ),
  );
  checks.push(...(await privilegeChecks(session, user, pdb !== undefined)));
  if (tables !== undefined) {
    const allLogged = database?.SUPPLEMENTAL_LOG_DATA_ALL === 'YES';
    checks.push(...(await tableChecks(session, tables, allLogged)));
  }
  return checks;
}

async function privilegeChecks(
  session: OracleSession,
  user: string,
  inPdb: boolean,
): Promise<PrerequisiteCheck[]> {
  const privileges = new Set((await session.execute(SESSION_PRIVILEGES)).map((row) => String(row.PRIVILEGE)));
  const roles = new Set((await session.execute(SESSION_ROLES)).map((row) => String(row.ROLE)));
  const grants = new Set(
    (await session.execute(OBJECT_GRANTS)).map((row) => `${row.PRIVILEGE} ${row.TABLE_NAME}`),
  );
  const container = /^c##/i.test(user) ? ' CONTAINER=ALL' : '';
  const grant = (what: string) => `GRANT ${what} TO ${user}${container};`;
  const needed = inPdb
    ? [...SYSTEM_PRIVILEGES, ['SET CONTAINER', 'to reach the PDB'] as const]
    : SYSTEM_PRIVILEGES;
  const checks = needed.map(([privilege, purpose]) =>
    prerequisiteCheck(
      `privilege_${privilege.toLowerCase().replaceAll(' ', '_')}`,
      privileges.has(privilege),
      `${privilege} (${purpose}) is ${privileges.has(privilege) ? 'granted' : 'missing'}`,
      { hint: grant(privilege) },
    ),
  );
  const dictionary = privileges.has('SELECT ANY DICTIONARY') || roles.has('SELECT_CATALOG_ROLE');
  const missingViews = dictionary ? [] : VIEWS.filter((view) => !grants.has(`SELECT ${view}`));
  checks.push(
    prerequisiteCheck(
      'privilege_logminer_views',
      missingViews.length === 0,
      missingViews.length === 0
        ? 'the LogMiner views are readable'
        : `SELECT is missing on ${missingViews.join(', ')}`,
      { hint: missingViews.map((view) => grant(`SELECT ON ${view}`)).join(' ') },
    ),
  );
  const execute = roles.has('EXECUTE_CATALOG_ROLE') || grants.has('EXECUTE DBMS_LOGMNR');
  checks.push(
    prerequisiteCheck(
      'privilege_dbms_logmnr',
      execute,
      `EXECUTE on DBMS_LOGMNR is ${execute ? 'granted' : 'missing'}`,
      {
        hint: grant('EXECUTE ON DBMS_LOGMNR'),
      },
    ),
  );
  return checks;
}

async function tableChecks(
  session: OracleSession,
  tables: readonly SourceTable[],
  allLogged: boolean,
): Promise<PrerequisiteCheck[]> {
  const checks: PrerequisiteCheck[] = [];
  const owners = [...new Set(tables.map((table) => table.ref.schema ?? ''))];
  const logged = new Set<string>();
  for (const owner of allLogged ? [] : owners) {
    for (const row of await session.execute(ALL_COLUMN_LOGGING, { owner }))
      logged.add(`${owner}.${row.TABLE_NAME}`);
  }
  for (const table of tables) {
    const name = qualifiedName(table.ref);
    const ok = allLogged || logged.has(name);
    checks.push(
      prerequisiteCheck(
        `supplemental_logging_${name}`,
        ok,
        `ALL COLUMNS supplemental logging is ${ok ? 'on' : 'off'} for ${name}`,
        {
          hint: `ALTER TABLE ${quotedTable(table.ref.schema ?? '', table.ref.name)} ADD SUPPLEMENTAL LOG DATA (ALL) COLUMNS;`,
        },
      ),
    );
    const refused = table.columns.filter((column) => UNREPLICABLE_TYPES.has(column.type));
    if (refused.length > 0) {
      checks.push(
        prerequisiteCheck(
          `unreplicable_columns_${name}`,
          false,
          `${name} has columns whose changes cannot be replicated (${refused.map((column) => `${column.name} ${column.type}`).join(', ')}): BFILE, LONG, LONG RAW and XMLTYPE values are not in the redo as this plugin reads it`,
          {
            hint: `leave ${name} out of the connector's tables, or change those columns to CLOB/BLOB/VARCHAR2/RAW`,
          },
        ),
      );
    }
  }
  return checks;
}
