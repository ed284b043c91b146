import { describeSourcePluginContract } from '../../contract/index.js';
import { modelContractTarget } from './model-contract-source.js';

// plugin → tedious → fake TDS server → CDC model. TRUNCATE is impossible on CDC tables (Msg 4711);
// the capture outlives the connector (CDC is the DBA's), so dropCapture loses no history.
describeSourcePluginContract(
  'sqlserver plugin contract (CDC model behind the fake TDS server)',
  modelContractTarget,
  {
    dropCaptureLosesHistory: false,
    truncate: false,
  },
);
