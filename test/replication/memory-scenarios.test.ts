import { type MemoryContractSource, memoryContractTarget } from '../plugins/memory/memory-contract-source.js';
import { describeCasingScenarios } from './casing-scenarios.js';
import { describeEngineScenarios } from './engine-scenarios.js';
import { describeMappingScenarios } from './mapping-scenarios.js';

describeCasingScenarios('memory source', memoryContractTarget);
describeMappingScenarios('memory source', memoryContractTarget);

describeEngineScenarios('memory source', memoryContractTarget, {
  captureExists: async (harness, connector) =>
    (harness.source as MemoryContractSource).database.slotPosition(connector) !== undefined,
});
