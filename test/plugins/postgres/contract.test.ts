import { describeSourcePluginContract } from '../../contract/index.js';
import { postgresContractTarget } from './postgres-contract-source.js';

describeSourcePluginContract('postgres plugin contract', postgresContractTarget, {
  dropCaptureLosesHistory: true,
});
