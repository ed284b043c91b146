import type { TestProject } from 'vitest/node';
import { startTestCluster } from './support/postgres-cluster.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Superuser URL of the shared target PostgreSQL cluster; tests create their own databases in it. */
    targetClusterUrl: string;
  }
}

/** Starts the throwaway servers the whole run shares, and removes them afterwards. */
export default async function setup(project: TestProject) {
  const target = await startTestCluster('target');
  project.provide('targetClusterUrl', target.url);
  return async () => {
    await target.stop();
  };
}
