import { postgresContractTarget } from '../plugins/postgres/postgres-contract-source.js';
import { describeLifecycleRaceScenarios } from './lifecycle-race-scenarios.js';

describeLifecycleRaceScenarios('PostgreSQL source', postgresContractTarget);
