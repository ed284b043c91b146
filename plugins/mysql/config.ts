import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  baseConnectionConfig,
  millisecondsOption,
  refineStallTimeout,
  stallTimeoutOption,
  tlsOptions,
} from '../../core/plugin/kit.js';

/**
 * A MySQL/MariaDB connector's settings. `database` is the database whose tables `discover(null)`
 * lists and whose binary log events are read; `schema` is not used (MySQL has none) and must be
 * null. `options`:
 * - `serverId`: the replica server id the binlog connection announces; it must differ from the
 *   source's own `server_id` and from every other replica's. Defaults to a number derived from the
 *   connector's name (see `replicaServerId`).
 * - `heartbeatIntervalMs`: how often the server sends a heartbeat while the log is idle; each one
 *   becomes a Checkpoint, so offsets advance on quiet sources. Default 10 000.
 * - `stallTimeoutMs`: a binlog stream that receives nothing (not even a heartbeat) for this long
 *   while reading counts as stalled and is reconnected. At least twice `heartbeatIntervalMs`;
 *   default the larger of 60 000 and three heartbeats.
 * - `connectTimeoutMs`: how long connecting may take. Default 10 000.
 * - `tls`: `{ mode, ca?, cert?, key? }` (see core's `tlsOptions`), used by every session, the
 *   binary log connection included. Absent: `disable`.
 */
export const mysqlConfigSchema = baseConnectionConfig
  .extend({
    options: z
      .object({
        serverId: z
          .number({ error: 'serverId must be a number' })
          .int('serverId must be a whole number')
          .min(1, 'serverId must be between 1 and 4294967295')
          .max(4_294_967_295, 'serverId must be between 1 and 4294967295')
          .optional(),
        heartbeatIntervalMs: millisecondsOption('heartbeatIntervalMs', 100, 3_600_000, 10_000),
        connectTimeoutMs: millisecondsOption('connectTimeoutMs', 1000, 600_000, 10_000),
        stallTimeoutMs: stallTimeoutOption,
        tls: tlsOptions.optional(),
      })
      .strict()
      .superRefine(refineStallTimeout)
      .default({ heartbeatIntervalMs: 10_000, connectTimeoutMs: 10_000 }),
  })
  .refine((config) => config.schema === null, {
    message: 'schema must be null for MySQL sources: name the database in database',
    path: ['schema'],
  });

export type MysqlConfig = z.output<typeof mysqlConfigSchema>;

/**
 * The binlog connection's replica server id: `options.serverId`, or a number in 100000 ..
 * 4294967295 derived from the connector's name, so two connectors never share one by accident.
 */
export function replicaServerId(config: MysqlConfig, connectorName: string): number {
  if (config.options.serverId !== undefined) return config.options.serverId;
  const hash = createHash('sha256').update(connectorName).digest().readUInt32BE(0);
  return 100_000 + (hash % (4_294_967_295 - 100_000));
}
