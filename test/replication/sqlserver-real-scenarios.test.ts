import { describe } from 'vitest';
import { type RealContractSource, realTarget, TEST_MSSQL_URL } from '../plugins/sqlserver/real-server.js';
import { describeCasingScenarios } from './casing-scenarios.js';
import { describeEngineScenarios } from './engine-scenarios.js';
import { describeMappingScenarios } from './mapping-scenarios.js';

// The scenarios the CDC model runs (sqlserver-scenarios.test.ts), against a real SQL Server.
describe.skipIf(TEST_MSSQL_URL === undefined)(
  'SQL Server scenarios against a real server (skipped unless TEST_MSSQL_URL=mssql://sa:password@host:1433 names a server with SQL Server Agent running)',
  () => {
    const title = 'SQL Server source (real server)';
    describeCasingScenarios(title, () => realTarget());
    describeMappingScenarios(title, () => realTarget({ textType: 'text' }), {
      createAutoIncrementTable: async (harness, name) => {
        const source = harness.source as RealContractSource;
        await source.session.runner.batch(
          `CREATE TABLE [dbo].[${name}] (order_number int IDENTITY(1,1) PRIMARY KEY, quantity int); EXEC sys.sp_cdc_enable_table @source_schema = N'dbo', @source_name = N'${name}', @role_name = NULL, @supports_net_changes = 0; INSERT INTO [dbo].[${name}] (quantity) VALUES (5), (6)`,
        );
        return { database: source.database, schema: 'dbo', name };
      },
    });
    describeEngineScenarios(title, () => realTarget(), { truncate: false });
  },
);
