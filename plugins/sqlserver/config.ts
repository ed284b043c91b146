import { z } from 'zod';
import {
  baseConnectionConfig,
  millisecondsOption,
  stallTimeoutOption,
  tlsOptions,
} from '../../core/plugin/kit.js';

/**
 * A SQL Server connector's settings. `database` holds the CDC-enabled tables; `schema` is the
 * schema `discover(null)` lists and bare table names belong to (default `dbo`). `options`:
 * - `pollIntervalMs`: how often the change tables are polled while idle. Default 1000.
 * - `pageSize`: change rows read per query and per table (bounds memory). Default 1000.
 * - `lockTimeoutMs`: how long the snapshot hand-off waits for its shared table locks. Default 10 000.
 * - `connectTimeoutMs`: how long connecting may take. Default 15 000.
 * - `stallTimeoutMs`: a query that receives nothing for this long is cancelled and counts as a
 *   stalled connection (tedious' own timeout stops at the first reply packet).
 * - `tls`: `{ mode, ca? }` (core's `tlsOptions`). `verify-ca` and client certificates cannot be
 *   expressed with tedious 19 and are refused. Absent: `disable`.
 */
export const sqlServerConfigSchema = baseConnectionConfig.extend({
  port: baseConnectionConfig.shape.port.default(1433),
  schema: z
    .string()
    .trim()
    .min(1, 'schema must not be empty when given')
    .max(128)
    .nullable()
    .default(null)
    .transform((schema) => schema ?? 'dbo'),
  options: z
    .object({
      pollIntervalMs: millisecondsOption('pollIntervalMs', 10, 3_600_000, 1000),
      pageSize: z
        .number({ error: 'pageSize must be a number' })
        .int('pageSize must be a whole number')
        .min(1, 'pageSize must be at least 1')
        .max(100_000, 'pageSize must be at most 100000')
        .default(1000),
      lockTimeoutMs: millisecondsOption('lockTimeoutMs', 100, 600_000, 10_000),
      connectTimeoutMs: millisecondsOption('connectTimeoutMs', 1000, 600_000, 15_000),
      stallTimeoutMs: stallTimeoutOption,
      tls: tlsOptions
        .refine((tls) => tls.mode !== 'verify-ca', {
          message:
            'tls.mode verify-ca cannot be expressed with the SQL Server driver (it always checks the host name): use verify-full',
        })
        .refine((tls) => tls.cert === undefined, {
          message:
            'tls.cert is not used by SQL Server logins (no client certificates): remove tls.cert and tls.key',
        })
        .optional(),
    })
    .strict()
    .default({ pollIntervalMs: 1000, pageSize: 1000, lockTimeoutMs: 10_000, connectTimeoutMs: 15_000 }),
});

export type SqlServerConfig = z.output<typeof sqlServerConfigSchema>;
