import { type MysqlContractSource, mysqlContractTarget } from '../plugins/mysql/mysql-contract-source.js';
import { describeCasingScenarios } from './casing-scenarios.js';
import { describeEngineScenarios } from './engine-scenarios.js';
import { describeMappingScenarios } from './mapping-scenarios.js';

describeCasingScenarios('MySQL source (MariaDB)', mysqlContractTarget);
describeMappingScenarios('MySQL source (MariaDB)', mysqlContractTarget, {
  createAutoIncrementTable: async (harness, name) => {
    const database = (harness.source as MysqlContractSource).database;
    await database.query(
      `CREATE TABLE \`${name}\` (order_number int AUTO_INCREMENT PRIMARY KEY, quantity int)`,
    );
    await database.query(`INSERT INTO \`${name}\` (quantity) VALUES (5), (6)`);
    return { database: database.name, schema: null, name };
  },
});

describeEngineScenarios('MySQL source (MariaDB)', mysqlContractTarget, {});
