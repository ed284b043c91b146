import { describe, expect, inject, it } from 'vitest';
import { migrate } from '../../../core/target/migrate.js';
import { TableConflictError } from '../../../core/target/table-conflict-error.js';
import { claimTable, findTableConflicts, releaseTable } from '../../../core/target/table-ownership.js';
import { TargetDatabase } from '../../../core/target/target-database.js';
import { createTestDatabase } from '../../support/test-database.js';

/** A migrated target with connectors `a` and `b`. */
async function openTarget() {
  const db = await createTestDatabase(inject('targetClusterUrl'), 'owners');
  const target = new TargetDatabase(db.url);
  await migrate(target);
  await target.query(`INSERT INTO tributary.connectors (name, type, host, port, "user", database, secrets)
    VALUES ('a', 'memory', 'h', 1, 'u', 'd', 'v1:x'), ('b', 'memory', 'h', 1, 'u', 'd', 'v1:x')`);
  return {
    target,
    async [Symbol.asyncDispose]() {
      await target.close();
      await db[Symbol.asyncDispose]();
    },
  };
}

const notes = { sourceName: 'public.notes', schema: 'inventory', name: 'notes' };

describe('table ownership', () => {
  it('lets only one of two concurrent claims of a table win; the other names the owner', async () => {
    await using t = await openTarget();
    const first = await t.target.pool.connect();
    const second = await t.target.pool.connect();
    try {
      await first.query('BEGIN');
      await second.query('BEGIN');
      expect(await claimTable(first, 'a', notes)).toBe('created');
      const losing = claimTable(second, 'b', { ...notes, sourceName: 'inventory.notes' });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await first.query('COMMIT');
      const error = await losing.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TableConflictError);
      expect((error as Error).message).toContain(
        'destination table inventory.notes belongs to connector "a"',
      );
      expect((error as Error).message).toContain('connector "b" would write inventory.notes into it');
    } finally {
      await second.query('ROLLBACK');
      first.release();
      second.release();
    }
    const { rows } = await t.target.query('SELECT connector FROM tributary.table_owners');
    expect(rows).toEqual([{ connector: 'a' }]);
  });

  it('moves a claim with its source table, adopts an existing unowned table, and releases on drop', async () => {
    await using t = await openTarget();
    await t.target.query('CREATE SCHEMA moved; CREATE TABLE moved.kept (id int)');
    await t.target.transaction(async (client) => {
      expect(await claimTable(client, 'a', notes)).toBe('created');
      expect(await claimTable(client, 'a', notes)).toBe('owned');
      expect(await claimTable(client, 'a', { ...notes, schema: 'moved', name: 'kept' })).toBe('adopted');
    });
    const owned = await t.target.query(
      'SELECT destination_schema || $1 || destination_table AS t FROM tributary.table_owners',
      ['.'],
    );
    expect(owned.rows).toEqual([{ t: 'moved.kept' }]);
    await t.target.transaction((client) => releaseTable(client, 'a', 'public.notes'));
    expect((await t.target.query('SELECT 1 FROM tributary.table_owners')).rowCount).toBe(0);
  });

  it('reports the tables a connector would write into without owning them, and writes nothing', async () => {
    await using t = await openTarget();
    await t.target.query('CREATE SCHEMA s; CREATE TABLE s.theirs (id int); CREATE TABLE s.unowned (id int)');
    await t.target.query('CREATE TABLE s.mine (id int)');
    await t.target.transaction(async (client) => {
      await claimTable(client, 'a', { sourceName: 'x.theirs', schema: 's', name: 'theirs' });
      await claimTable(client, 'b', { sourceName: 'y.mine', schema: 's', name: 'mine' });
    });
    const targets = ['theirs', 'unowned', 'mine', 'missing'].map((name) => ({
      sourceName: `y.${name}`,
      schema: 's',
      name,
    }));
    const found = await findTableConflicts(t.target, 'b', targets, { policy: 'fail', mode: 'initial' });
    expect(found).toEqual([
      {
        sourceTable: 'y.theirs',
        schema: 's',
        table: 'theirs',
        owner: 'a',
        ownerSourceTable: 'x.theirs',
        resolution: 'refuse',
      },
      {
        sourceTable: 'y.unowned',
        schema: 's',
        table: 'unowned',
        owner: null,
        ownerSourceTable: null,
        resolution: 'refuse',
      },
    ]);
    const append = await findTableConflicts(t.target, 'b', targets, { policy: 'append', mode: 'initial' });
    expect(append.map((conflict) => conflict.resolution)).toEqual(['refuse', 'append']);
    const never = await findTableConflicts(t.target, 'b', targets, { policy: 'fail', mode: 'never' });
    expect(never.map((conflict) => conflict.resolution)).toEqual(['refuse', 'adopt']);
    const { rows } = await t.target.query('SELECT connector FROM tributary.table_owners ORDER BY 1');
    expect(rows).toEqual([{ connector: 'a' }, { connector: 'b' }]);
  });
});
