import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  baseConnectionConfig,
  millisecondsOption,
  refineStallTimeout,
  stallTimeoutOption,
  tlsOptions,
} from '../../core/plugin/kit.js';
import { DEFAULT_WAL_WARNING_BYTES } from './pgoutput/wal-retention.js';

const MAX_IDENTIFIER = 63;
const SLOT_NAME = /^[a-z0-9_]+$/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

/**
 * A PostgreSQL connector's settings. `schema` is the schema whose tables `discover(null)` lists; it
 * defaults to `public` when null (see `sourceSchema`). `options`:
 * - `slotName`: the logical replication slot; lower-case letters, digits and underscores, at most
 *   63 characters (PostgreSQL's rule for slot names). Defaults to `tributary_<connector name in
 *   lower case>`.
 * - `publicationName`: the publication; a PostgreSQL identifier (a letter or underscore, then
 *   letters, digits, underscores or `$`), at most 63 characters. Same default as `slotName`.
 * - `heartbeatIntervalMs`: how often the stream reports its position to the server and asks for a
 *   keepalive; on an idle source, at most one keepalive per interval becomes a Checkpoint. Keep it below the server's
 *   `wal_sender_timeout`, since it also keeps a paused stream alive. Default 10 000.
 * - `stallTimeoutMs`: a stream that receives nothing (not even the keepalive it asked for) for
 *   this long while reading counts as stalled and is reconnected. At least twice
 *   `heartbeatIntervalMs`; default the larger of 60 000 and three heartbeats.
 * - `walRetentionWarningBytes`: the connector's state shows a warning while its slot retains more
 *   WAL than this (and whenever the server reports the slot about to be invalidated). Default
 *   1 GiB; at least 1.
 * - `captureDdl`: follow CREATE / ALTER / DROP TABLE through the database's DDL event trigger
 *   (see schema/ddl-trigger.ts; PostgreSQL 14+), created by the first capture when the user is a
 *   superuser. Default true; false: tables change shape only when their next row arrives.
 * - `dropTables`: a table dropped at the source is dropped at the destination. Default true;
 *   false keeps the destination table (and its rows).
 * - `tls`: `{ mode, ca?, cert?, key? }` (see core's `tlsOptions`), used by every session, the
 *   replication sessions included. Absent: `disable` (the `PGSSLMODE` environment variable is
 *   not consulted).
 */
export const postgresConfigSchema = baseConnectionConfig.extend({
  options: z
    .object({
      slotName: z
        .string()
        .trim()
        .min(1, 'slotName must not be empty')
        .max(MAX_IDENTIFIER, `slotName must be at most ${MAX_IDENTIFIER} characters`)
        .regex(SLOT_NAME, 'slotName may hold only lower-case letters, digits and underscores')
        .optional(),
      publicationName: z
        .string()
        .trim()
        .min(1, 'publicationName must not be empty')
        .max(MAX_IDENTIFIER, `publicationName must be at most ${MAX_IDENTIFIER} characters`)
        .regex(
          IDENTIFIER,
          'publicationName must start with a letter or underscore and hold only letters, digits, underscores and $',
        )
        .optional(),
      heartbeatIntervalMs: millisecondsOption('heartbeatIntervalMs', 100, 3_600_000, 10_000),
      stallTimeoutMs: stallTimeoutOption,
      walRetentionWarningBytes: z
        .number({ error: 'walRetentionWarningBytes must be a number' })
        .int('walRetentionWarningBytes must be a whole number of bytes')
        .min(1, 'walRetentionWarningBytes must be at least 1')
        .default(DEFAULT_WAL_WARNING_BYTES),
      captureDdl: z.boolean({ error: 'captureDdl must be true or false' }).default(true),
      dropTables: z.boolean({ error: 'dropTables must be true or false' }).default(true),
      tls: tlsOptions.optional(),
    })
    .strict()
    .superRefine(refineStallTimeout)
    .default({
      heartbeatIntervalMs: 10_000,
      walRetentionWarningBytes: DEFAULT_WAL_WARNING_BYTES,
      captureDdl: true,
      dropTables: true,
    }),
});

export type PostgresConfig = z.output<typeof postgresConfigSchema>;

/** The schema `discover(null)` lists: `config.schema`, or `public` when it is null. */
export function sourceSchema(config: PostgresConfig): string {
  return config.schema ?? 'public';
}

/** The slot's name: `options.slotName`, or one derived from the connector's name. */
export function slotName(config: PostgresConfig, connectorName: string): string {
  return config.options.slotName ?? derivedName(connectorName);
}

/** The publication's name: `options.publicationName`, or one derived from the connector's name. */
export function publicationName(config: PostgresConfig, connectorName: string): string {
  return config.options.publicationName ?? derivedName(connectorName);
}

/**
 * `tributary_<name>` in lower case with anything but letters, digits and underscores replaced by
 * `_`. Names longer than 63 characters keep their first 54 and end in 8 hex digits of a hash, so
 * distinct connectors keep distinct names.
 */
export function derivedName(connectorName: string): string {
  const name = `tributary_${connectorName.toLowerCase().replace(/[^a-z0-9_]/g, '_')}`;
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(connectorName).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${hash}`;
}
