import { mysqlContractTarget } from '../plugins/mysql/mysql-contract-source.js';
import { describeCasingScenarios } from './casing-scenarios.js';
import { describeEngineScenarios } from './engine-scenarios.js';
import { describeMappingScenarios } from './mapping-scenarios.js';

describeCasingScenarios('MySQL source (MariaDB)', mysqlContractTarget);
describeMappingScenarios('MySQL source (MariaDB)', mysqlContractTarget);

describeEngineScenarios('MySQL source (MariaDB)', mysqlContractTarget, {});
