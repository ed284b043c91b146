import type { TestProject } from 'vitest/node';
import { startMariadb } from './support/mariadb-server.js';
import { startTestCluster } from './support/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the shared target PostgreSQL cluster; tests create their own databases in it. */
    targetClusterUrl: string;
    /** Superuser URL of the shared source PostgreSQL cluster (wal_level=logical). */
    sourceClusterUrl: string;
    /** Administrator URL of the shared source MariaDB (binlog on, ROW format, full row images). */
    mariadbUrl: string;
  }
}

/** Starts the throwaway servers the whole run shares, and removes them afterwards. */
export default async function setup(project: TestProject) {
  const [target, source, mariadb] = await Promise.all([
    startTestCluster('target'),
    startTestCluster('source', {
      wal_level: 'logical',
      max_replication_slots: '100',
      max_wal_senders: '100',
      wal_sender_timeout: '10s',
    }),
    startMariadb('source'),
  ]);
  project.provide('targetClusterUrl', target.url);
  project.provide('sourceClusterUrl', source.url);
  project.provide('mariadbUrl', mariadb.url);
  return async () => {
    await Promise.all([target.stop(), source.stop(), mariadb.stop()]);
  };
}
