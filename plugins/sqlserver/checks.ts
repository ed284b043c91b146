import { type PrerequisiteCheck, type SourceTable } from '../../core/plugin/index.js';
import { prerequisiteCheck, qualifiedName } from '../../core/plugin/kit.js';
import { quote } from './client/identifiers.js';
import type { QueryRunner } from './client/sql.js';
import { CAPTURE_INSTANCES, DATABASE_STATE, MAX_LSN, SERVER_INFO, TABLE_STATE } from './client/statements.js';

/** SQL Server 2017 is the oldest SynchDB supports; 14 is its major version. */
const MIN_MAJOR = 14;
/** Engine editions with CDC: Standard (2), Enterprise/Developer (3), Managed Instance (8). */
const CDC_EDITIONS = new Set([2, 3, 8]);

const literal = (text: string) => `N'${text.replaceAll("'", "''")}'`;

/**
 * The prerequisites of change capture, each with the statement that fixes it: the version and
 * edition, CDC on for the database and for each table, SQL Server Agent running (the capture job
 * harvests the log), snapshot isolation on (the snapshot hand-off pins one), SELECT on each table
 * and membership of each capture instance's gating role.
 */
export async function checkPrerequisites(
  runner: QueryRunner,
  database: string,
  user: string,
  tables: readonly SourceTable[] | undefined,
): Promise<PrerequisiteCheck[]> {
  const checks: PrerequisiteCheck[] = [];
  const [info] = await runner.query(SERVER_INFO);
  const major = Number(info?.major);
  const edition = Number(info?.edition);
  checks.push(
    prerequisiteCheck(
      'version',
      major >= MIN_MAJOR && CDC_EDITIONS.has(edition),
      `SQL Server ${String(info?.version)} (major ${major}, engine edition ${edition})`,
      {
        hint: 'use SQL Server 2017 or later, Standard, Enterprise or Developer edition (or Azure SQL Managed Instance): Express and Azure SQL Database have no CDC capture job',
      },
    ),
  );
  const [db] = await runner.query(DATABASE_STATE);
  const cdcOn = Number(db?.is_cdc_enabled) === 1;
  checks.push(
    prerequisiteCheck(
      'cdc_database',
      cdcOn,
      `CDC is ${cdcOn ? 'enabled' : 'disabled'} for database ${database}`,
      {
        hint: `USE ${quote(database)}; EXEC sys.sp_cdc_enable_db; -- as a member of sysadmin`,
      },
    ),
  );
  const snapshotOn = Number(db?.snapshot_isolation_state) === 1;
  checks.push(
    prerequisiteCheck(
      'snapshot_isolation',
      snapshotOn,
      `ALLOW_SNAPSHOT_ISOLATION is ${snapshotOn ? 'ON' : 'OFF'} (the snapshot is read in a SNAPSHOT transaction)`,
      { hint: `ALTER DATABASE ${quote(database)} SET ALLOW_SNAPSHOT_ISOLATION ON;` },
    ),
  );
  if (!cdcOn) return checks;
  const [max] = await runner.query(MAX_LSN);
  const harvesting = Buffer.isBuffer(max?.max_lsn);
  checks.push(
    prerequisiteCheck(
      'capture_job',
      harvesting,
      harvesting
        ? 'the CDC capture job has harvested the log (SQL Server Agent runs it)'
        : 'sys.fn_cdc_get_max_lsn() is NULL: the CDC capture job has never run, so SQL Server Agent is not running',
      {
        hint: "start SQL Server Agent (on Linux: /opt/mssql/bin/mssql-conf set sqlagent.enabled true, or MSSQL_AGENT_ENABLED=true in a container), then EXEC sys.sp_cdc_start_job @job_type = N'capture';",
      },
    ),
  );
  if (tables === undefined) return checks;
  const states = new Map(
    (await runner.query(TABLE_STATE)).map((row) => [`${row.schema_name}.${row.table_name}`, row]),
  );
  const instances = await runner.query(CAPTURE_INSTANCES);
  for (const table of tables) {
    const name = qualifiedName(table.ref);
    const state = states.get(name);
    const schema = table.ref.schema ?? 'dbo';
    const tracked = Number(state?.is_tracked_by_cdc) === 1;
    checks.push(
      prerequisiteCheck('cdc_table', tracked, `${name} is ${tracked ? '' : 'not '}tracked by CDC`, {
        hint: `EXEC sys.sp_cdc_enable_table @source_schema = ${literal(schema)}, @source_name = ${literal(table.ref.name)}, @role_name = NULL, @supports_net_changes = 0;`,
      }),
    );
    const canSelect = Number(state?.can_select) === 1;
    checks.push(
      prerequisiteCheck(
        'select_privilege',
        canSelect,
        `${user} ${canSelect ? 'may' : 'may not'} SELECT from ${name}`,
        {
          hint: `GRANT SELECT ON ${quote(schema)}.${quote(table.ref.name)} TO ${quote(user)};`,
        },
      ),
    );
    for (const instance of instances) {
      if (instance.schema_name !== schema || instance.table_name !== table.ref.name) continue;
      if (instance.role_name === null || instance.role_name === undefined) continue;
      const member = Number(instance.in_role) === 1;
      const role = String(instance.role_name);
      checks.push(
        prerequisiteCheck(
          'gating_role',
          member,
          `${user} is ${member ? '' : 'not '}a member of ${role}, the gating role of capture instance ${String(instance.capture_instance)}`,
          { hint: `ALTER ROLE ${quote(role)} ADD MEMBER ${quote(user)};` },
        ),
      );
    }
  }
  return checks;
}
