import { describeSourcePluginContract } from '../../contract/index.js';
import { mysqlContractTarget } from './mysql-contract-source.js';

describeSourcePluginContract('mysql plugin contract', mysqlContractTarget, {
  dropCaptureLosesHistory: false,
});
