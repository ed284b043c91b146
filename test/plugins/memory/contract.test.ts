import { describeSourcePluginContract } from '../../contract/index.js';
import { memoryContractTarget } from './memory-contract-source.js';

describeSourcePluginContract('memory plugin contract', memoryContractTarget);
