import { z } from 'zod';

const column = z.object({
  attnum: z.number().int(),
  name: z.string(),
  typid: z.number().int(),
  typmod: z.number().int(),
  notnull: z.boolean(),
  generated: z.boolean(),
  key: z.number().int().nullable(),
});

const table = z.object({
  oid: z.number().int(),
  schema: z.string(),
  name: z.string(),
  partition: z.boolean().optional(),
  columns: z.array(column).optional(),
});

const message = z.object({
  version: z.literal(1),
  event: z.enum(['ddl_command_end', 'sql_drop']),
  tag: z.string(),
  tables: z.array(table),
});

/** One table column as the DDL trigger read it from pg_attribute at the end of the command. */
export type DdlColumn = z.output<typeof column>;
/** A table the command touched: with its columns at `ddl_command_end`, without at `sql_drop`. */
export type DdlTable = z.output<typeof table>;
/** The content of one `tributary.ddl` logical decoding message (see ../schema/ddl-trigger.ts). */
export type DdlMessage = z.output<typeof message>;

/** Parses a message's content; throws when it is not what the trigger of this version writes. */
export function parseDdlMessage(content: string): DdlMessage {
  const parsed = message.safeParse(JSON.parse(content));
  if (!parsed.success) throw new Error(`a tributary.ddl message is malformed: ${parsed.error.message}`);
  return parsed.data;
}
