import { describe } from 'vitest';
import { describeSourcePluginContract } from '../../contract/index.js';
import { realTarget, TEST_MSSQL_URL } from './real-server.js';

describe.skipIf(TEST_MSSQL_URL === undefined)(
  'against a real SQL Server (skipped unless TEST_MSSQL_URL=mssql://sa:password@host:1433 names a server with SQL Server Agent running)',
  () => {
    describeSourcePluginContract('sqlserver plugin contract (real server)', () => realTarget(), {
      dropCaptureLosesHistory: false,
      truncate: false,
    });
  },
);
