import { oracleModelContractTarget } from '../plugins/oracle/oracle-contract-source.js';
import { describeCasingScenarios } from './casing-scenarios.js';
import { describeEngineScenarios } from './engine-scenarios.js';
import { describeMappingScenarios } from './mapping-scenarios.js';

// The Oracle plugin over the LogMiner model (session seam), through the engine and GraphQL, into a
// real target PostgreSQL. The model creates every table with ALL COLUMNS supplemental logging, so
// keyless tables need no preparation; the capture's only artifact is the redo flush table.
const title = 'Oracle source (LogMiner model)';

describeCasingScenarios(title, oracleModelContractTarget);
describeMappingScenarios(title, oracleModelContractTarget, {
  textType: { source: 'varchar2', destination: 'varchar(4000)', printed: 'character varying(4000)' },
});
describeEngineScenarios(title, oracleModelContractTarget, { booleanColumns: false });
