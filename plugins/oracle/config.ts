import { z } from 'zod';
import { baseConnectionConfig, millisecondsOption, tlsOptions } from '../../core/plugin/kit.js';

/**
 * An Oracle connector's settings (SynchDB's `synchdb_add_conninfo(…, 'FREE', …, 'oracle')`):
 * - `host`, `port` (1521), `user` (a common user `C##DBZUSER` in a CDB, or a PDB user),
 *   `password`;
 * - `database`: the service connected to (SynchDB's srcdb, e.g. `FREE`); it also names the
 *   destination schema by default (`free.orders`);
 * - `schema`: the Oracle user owning the tables (`DBZUSER`). Default: the user name upper-cased,
 *   except for common users (`C##…`), who must name it;
 * - `options.pdb`: when `database` is a CDB root service, the pluggable database holding the
 *   tables (`FREEPDB1`): catalog and snapshot sessions run `ALTER SESSION SET CONTAINER`, mining
 *   stays in the root;
 * - `options.pollIntervalMs` (default 1 000): how long the stream waits when mining found nothing
 *   new; each idle round ends with a Checkpoint, so offsets advance on quiet sources;
 * - `options.maxWindowScns` (default 100 000): the widest SCN range mined at once;
 * - `options.connectTimeoutMs` (default 10 000);
 * - `options.tls`: core's `{ mode, ca? }`. Thin mode always checks the server certificate, so
 *   `require` (encrypt without checking) cannot be expressed and is refused; client certificates
 *   are refused (Oracle logins here are passwords).
 */
export const oracleConfigSchema = baseConnectionConfig
  .extend({
    options: z
      .object({
        pdb: z.string().trim().min(1, 'pdb must not be empty when given').max(128).optional(),
        pollIntervalMs: millisecondsOption('pollIntervalMs', 10, 600_000, 1000),
        maxWindowScns: z.number().int().min(1).max(100_000_000).default(100_000),
        connectTimeoutMs: millisecondsOption('connectTimeoutMs', 1000, 600_000, 10_000),
        tls: tlsOptions
          .refine((tls) => tls.mode !== 'require', {
            message:
              'tls mode require is not available for Oracle (the thin driver always checks the server certificate): use verify-ca or verify-full',
          })
          .refine((tls) => tls.cert === undefined && tls.key === undefined, {
            message: 'client certificates (tls.cert, tls.key) are not supported for Oracle sources',
          })
          .optional(),
      })
      .strict()
      .default({ pollIntervalMs: 1000, maxWindowScns: 100_000, connectTimeoutMs: 10_000 }),
  })
  .refine((config) => config.schema !== null || !/^c##/i.test(config.user), {
    message: 'schema is required for a common user (C##…): name the schema owning the tables, e.g. DBZUSER',
    path: ['schema'],
  });

export type OracleConfig = z.output<typeof oracleConfigSchema>;

/** The schema whose tables the connector reads: `schema`, or the user name upper-cased. */
export function ownerSchema(config: OracleConfig): string {
  return config.schema ?? config.user.toUpperCase();
}
