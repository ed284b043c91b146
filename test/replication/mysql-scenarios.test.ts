import { mysqlContractTarget } from '../plugins/mysql/mysql-contract-source.js';
import { describeEngineScenarios } from './engine-scenarios.js';

describeEngineScenarios('MySQL source (MariaDB)', mysqlContractTarget, {});
