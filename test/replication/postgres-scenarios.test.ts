import type { PostgresContractSource } from '../plugins/postgres/postgres-contract-source.js';
import { postgresContractTarget } from '../plugins/postgres/postgres-contract-source.js';
import { describeCasingScenarios } from './casing-scenarios.js';
import { describeEngineScenarios } from './engine-scenarios.js';
import { describeMappingScenarios } from './mapping-scenarios.js';

describeCasingScenarios('PostgreSQL source', postgresContractTarget);
describeMappingScenarios('PostgreSQL source', postgresContractTarget, {
  createAutoIncrementTable: async (harness, name) => {
    const database = (harness.source as PostgresContractSource).database;
    await database.query(`CREATE TABLE "${name}" (order_number serial PRIMARY KEY, quantity integer)`);
    await database.query(`INSERT INTO "${name}" (quantity) VALUES (5), (6)`);
    return { database: database.name, schema: 'public', name };
  },
});

describeEngineScenarios('PostgreSQL source', postgresContractTarget, {
  captureExists: async (harness) => {
    const database = (harness.source as PostgresContractSource).database;
    const { rows } = await database.query<{ slots: number; publications: number }>(
      `SELECT (SELECT count(*)::int FROM pg_replication_slots WHERE database = current_database()) AS slots,
              (SELECT count(*)::int FROM pg_publication) AS publications`,
    );
    const found = rows[0];
    if (!found || found.slots > 0 !== found.publications > 0) {
      throw new Error(`slot and publication disagree: ${JSON.stringify(found)}`);
    }
    return found.slots > 0;
  },
  prepareKeylessTable: async (harness, table) => {
    const database = (harness.source as PostgresContractSource).database;
    await database.query(`ALTER TABLE "${table.schema}"."${table.name}" REPLICA IDENTITY FULL`);
  },
});
