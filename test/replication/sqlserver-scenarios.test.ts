import { type ModelContractSource, modelContractTarget } from '../plugins/sqlserver/model-contract-source.js';
import { describeCasingScenarios } from './casing-scenarios.js';
import { describeEngineScenarios } from './engine-scenarios.js';
import { describeMappingScenarios } from './mapping-scenarios.js';

// plugin → tedious → fake TDS server → CDC model → engine → real target PostgreSQL.
const title = 'SQL Server source (CDC model behind the fake TDS server)';

describeCasingScenarios(title, modelContractTarget);
describeMappingScenarios(title, () => modelContractTarget({ textType: 'text' }), {
  createAutoIncrementTable: async (harness, name) => {
    const source = harness.source as ModelContractSource;
    const table = source.model.createTable(
      'dbo',
      name,
      [
        { name: 'order_number', type: 'int', nullable: false, identity: true },
        { name: 'quantity', type: 'int', nullable: true },
      ],
      ['order_number'],
    );
    source.model.enableTable(table);
    source.model.commit([{ op: 'insert', table, rows: [{ quantity: 5 }, { quantity: 6 }] }]);
    return { database: source.model.database, schema: 'dbo', name };
  },
});

// CDC is enabled by the DBA and nothing is created at the source: no captureExists hook. A table
// without a primary key can be enabled for CDC as it is (@supports_net_changes = 0).
describeEngineScenarios(title, modelContractTarget, { truncate: false });
