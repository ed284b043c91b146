import { CliError, EXIT } from './cli-error.js';
import { graphql, type ServerAddress } from './graphql-client.js';

/**
 * Reads `fields` of one connector. The `connector` query answers null for an unknown name; that
 * becomes a NOT_FOUND CliError, the same as a mutation naming it would.
 */
export async function fetchConnector<T>(server: ServerAddress, name: string, fields: string): Promise<T> {
  const data = await graphql<{ connector: T | null }>(
    server,
    `query ($name: String!) { connector(name: $name) { ${fields} } }`,
    { name },
  );
  if (data.connector === null) throw new CliError(`NOT_FOUND: no connector named "${name}"`, EXIT.notFound);
  return data.connector;
}
