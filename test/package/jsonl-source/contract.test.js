// The shipped contract suite run against this plugin: `npx vitest run` in the folder where
// `tributary` and `vitest` are installed.
import { describeSourcePluginContract } from 'tributary/testing';
import { jsonlContractTarget } from './contract-source.js';

// the files outlive the capture: dropCapture leaves the history readable
describeSourcePluginContract('JSON-lines plugin', jsonlContractTarget, { dropCaptureLosesHistory: false });
