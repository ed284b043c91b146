import { mysqlContractTarget } from '../plugins/mysql/mysql-contract-source.js';
import { describeLifecycleRaceScenarios } from './lifecycle-race-scenarios.js';

describeLifecycleRaceScenarios('MySQL source (MariaDB)', mysqlContractTarget);
