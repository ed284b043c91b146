import type { Sql } from '../client/sql.js';

/** The prefix of the logical decoding messages the DDL trigger emits. */
export const DDL_MESSAGE_PREFIX = 'tributary.ddl';

const FUNCTION = 'public.tributary_ddl_capture()';
const TRIGGERS = ['tributary_ddl_command_end', 'tributary_ddl_sql_drop'] as const;

/**
 * The trigger function: at `ddl_command_end` it describes every ordinary or partitioned, permanent
 * table the command created or altered (columns in attnum order with type OID, modifier, NOT NULL,
 * generated, primary-key position) as the catalog holds it at the end of the command; at
 * `sql_drop` it names the tables dropped. Either becomes one transactional logical decoding
 * message, so it reaches every slot of the database in commit order with the rows around it.
 * SECURITY DEFINER (its owner, a superuser, may emit messages) with a fixed search_path. It has no
 * EXCEPTION block on purpose: that would run it in a subtransaction, and logical decoding then
 * delivers the message after rows written later in the same transaction; it only reads the
 * catalog, so it has nothing to fail on.
 */
const FUNCTION_SQL = `CREATE OR REPLACE FUNCTION ${FUNCTION} RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $tributary$
DECLARE
  tables jsonb;
BEGIN
  IF TG_EVENT = 'sql_drop' THEN
    SELECT jsonb_agg(jsonb_build_object('oid', d.objid::bigint, 'schema', d.schema_name, 'name', d.object_name))
      INTO tables
      FROM pg_event_trigger_dropped_objects() d
     WHERE d.object_type = 'table' AND NOT d.is_temporary;
  ELSE
    SELECT jsonb_agg(jsonb_build_object(
             'oid', c.oid::bigint, 'schema', n.nspname, 'name', c.relname, 'partition', c.relispartition,
             'columns', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                            'attnum', a.attnum, 'name', a.attname, 'typid', a.atttypid::bigint,
                            'typmod', a.atttypmod, 'notnull', a.attnotnull,
                            'generated', (a.attidentity <> ''
                                          OR coalesce(pg_get_expr(ad.adbin, ad.adrelid) LIKE 'nextval(%', false)),
                            'key', array_position(pk.conkey, a.attnum)) ORDER BY a.attnum), '[]')
                         FROM pg_attribute a
                         LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
                         LEFT JOIN pg_constraint pk ON pk.conrelid = a.attrelid AND pk.contype = 'p'
                        WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)))
      INTO tables
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid IN (SELECT e.objid FROM pg_event_trigger_ddl_commands() e
                      WHERE e.classid = 'pg_class'::regclass AND e.object_type IN ('table', 'table column'))
       AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p';
  END IF;
  IF tables IS NOT NULL THEN
    PERFORM pg_logical_emit_message(true, '${DDL_MESSAGE_PREFIX}',
      jsonb_build_object('version', 1, 'event', TG_EVENT, 'tag', TG_TAG, 'tables', tables)::text);
  END IF;
END
$tributary$`;

/**
 * The statements that install DDL capture in one database, in order; run by a superuser (only a
 * superuser may create an event trigger). Shared by every connector reading that database.
 */
export const DDL_TRIGGER_STATEMENTS: readonly string[] = [
  FUNCTION_SQL,
  `CREATE EVENT TRIGGER ${TRIGGERS[0]} ON ddl_command_end EXECUTE FUNCTION ${FUNCTION}`,
  `CREATE EVENT TRIGGER ${TRIGGERS[1]} ON sql_drop EXECUTE FUNCTION ${FUNCTION}`,
];

/** The statements as one script, for a check's hint and the README. */
export function ddlTriggerScript(): string {
  return `${DDL_TRIGGER_STATEMENTS.join(';\n')};`;
}

/** True when both event triggers exist and are enabled. */
export async function ddlTriggerInstalled(sql: Sql): Promise<boolean> {
  const [row] = await sql<{ count: number }>(
    `SELECT count(*)::int AS count FROM pg_event_trigger WHERE evtname = ANY($1::text[]) AND evtenabled <> 'D'`,
    [[...TRIGGERS]],
  );
  return row?.count === TRIGGERS.length;
}

/**
 * Installs the function and whichever event trigger is missing. Needs a superuser; another
 * connector installing them at the same moment is harmless.
 */
export async function installDdlTrigger(sql: Sql): Promise<void> {
  const [functionSql, ...triggerSql] = DDL_TRIGGER_STATEMENTS;
  const existing = new Set(
    (await sql<{ name: string }>('SELECT evtname AS name FROM pg_event_trigger')).map((row) => row.name),
  );
  await sql(functionSql as string);
  for (const [index, name] of TRIGGERS.entries()) {
    if (existing.has(name)) continue;
    await sql(triggerSql[index] as string).catch((error: unknown) => {
      if ((error as { code?: string }).code !== '42710') throw error;
    });
  }
}

/**
 * Installs DDL capture when it is missing and the session's role is a superuser; otherwise leaves
 * it to an administrator (`check()` says what to run). Returns whether it is installed now.
 */
export async function ensureDdlTrigger(sql: Sql): Promise<boolean> {
  if (await ddlTriggerInstalled(sql)) return true;
  const [role] = await sql<{ superuser: boolean }>(
    'SELECT rolsuper AS superuser FROM pg_roles WHERE rolname = current_user',
  );
  if (!role?.superuser) return false;
  await installDdlTrigger(sql);
  return true;
}
