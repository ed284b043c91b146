import { type MemoryContractSource, memoryContractTarget } from '../plugins/memory/memory-contract-source.js';
import { describeEngineScenarios } from './engine-scenarios.js';

describeEngineScenarios('memory source', memoryContractTarget, {
  captureExists: async (harness, connector) =>
    (harness.source as MemoryContractSource).database.slotPosition(connector) !== undefined,
});
