import { describeSourcePluginContract } from '../../contract/index.js';
import { oracleModelContractTarget } from './oracle-contract-source.js';

describeSourcePluginContract('oracle plugin contract (LogMiner model)', oracleModelContractTarget, {
  dropCaptureLosesHistory: false,
  booleanColumns: false,
});
