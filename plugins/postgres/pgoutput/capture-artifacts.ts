import type { CaptureArtifact } from '../../../core/plugin/index.js';
import { quoteIdent, quoteLiteral } from '../client/identifiers.js';
import { type PostgresConfig, publicationName, slotName } from '../config.js';

/**
 * The replication slot and the publication a connector's capture creates (see capture.ts), with
 * the statements that drop them by hand. The slot matters most: until it is dropped the server
 * keeps every WAL segment after its position. The publication is dropped only when Tributary
 * created it (`dropCapture` leaves one the user made and named in `options.publicationName`).
 */
export function captureArtifacts(config: PostgresConfig, connectorName: string): CaptureArtifact[] {
  const slot = slotName(config, connectorName);
  const publication = publicationName(config, connectorName);
  return [
    {
      kind: 'replication slot',
      name: slot,
      dropStatement: `SELECT pg_drop_replication_slot(${quoteLiteral(slot)})`,
    },
    {
      kind: 'publication',
      name: publication,
      dropStatement: `DROP PUBLICATION IF EXISTS ${quoteIdent(publication)}`,
      ...(config.options.publicationName === undefined
        ? {}
        : { note: 'only if Tributary created it (its comment says so)' }),
    },
  ];
}
