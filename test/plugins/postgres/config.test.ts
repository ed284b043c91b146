import { describe, expect, it } from 'vitest';
import { derivedName, publicationName, slotName, sourceSchema } from '../../../plugins/postgres/config.js';
import { postgresPlugin } from '../../../plugins/postgres/index.js';

const base = { host: 'db.example', port: 5432, user: 'replicator', password: 'secret', database: 'shop' };
const parse = (options?: unknown, extra: Record<string, unknown> = {}) =>
  postgresPlugin.configSchema.safeParse({ ...base, ...extra, ...(options === undefined ? {} : { options }) });

describe('postgres config', () => {
  it('defaults the options and reads a null schema as public', () => {
    const parsed = parse();
    expect(parsed.data?.options).toEqual({
      heartbeatIntervalMs: 10_000,
      walRetentionWarningBytes: 1024 ** 3,
      captureDdl: true,
      dropTables: true,
    });
    expect(parsed.data?.schema).toBeNull();
    expect(sourceSchema(parsed.data ?? ({} as never))).toBe('public');
    expect(sourceSchema(parse(undefined, { schema: 'Sales' }).data ?? ({} as never))).toBe('Sales');
  });

  it('accepts a stall timeout of at least two heartbeats', () => {
    expect(parse({ heartbeatIntervalMs: 500, stallTimeoutMs: 1_000 }).data?.options.stallTimeoutMs).toBe(
      1_000,
    );
  });

  it('derives slot and publication names from the connector name', () => {
    const config = parse({}).data;
    if (config === undefined) throw new Error('config did not parse');
    expect(slotName(config, 'Orders_EU')).toBe('tributary_orders_eu');
    expect(publicationName(config, 'Orders_EU')).toBe('tributary_orders_eu');
  });

  it('uses the names given in the options', () => {
    const config = parse({ slotName: 'my_slot', publicationName: 'My_Pub$1' }).data;
    if (config === undefined) throw new Error('config did not parse');
    expect(slotName(config, 'x')).toBe('my_slot');
    expect(publicationName(config, 'x')).toBe('My_Pub$1');
  });

  it('keeps derived names within 63 characters and distinct', () => {
    const long = `a${'b'.repeat(62)}`;
    const other = `a${'b'.repeat(61)}c`;
    expect(derivedName(long)).toHaveLength(63);
    expect(derivedName(long)).not.toBe(derivedName(other));
    expect(derivedName(long)).toMatch(/^[a-z0-9_]+$/);
  });

  it.each([
    [{ slotName: 'Upper' }, 'options.slotName', /lower-case letters, digits and underscores/],
    [{ slotName: 'a'.repeat(64) }, 'options.slotName', /at most 63/],
    [{ publicationName: '1pub' }, 'options.publicationName', /start with a letter or underscore/],
    [{ publicationName: 'pub name' }, 'options.publicationName', /start with a letter or underscore/],
    [{ heartbeatIntervalMs: 50 }, 'options.heartbeatIntervalMs', /at least 100/],
    [{ pollMs: 5 }, 'options', /pollMs/],
    [{ stallTimeoutMs: 500 }, 'options.stallTimeoutMs', /at least 1000/],
    [{ stallTimeoutMs: 15_000 }, 'options.stallTimeoutMs', /at least twice heartbeatIntervalMs \(20000\)/],
    [
      { heartbeatIntervalMs: 1_000, stallTimeoutMs: 1_500 },
      'options.stallTimeoutMs',
      /at least twice heartbeatIntervalMs \(2000\)/,
    ],
  ])('rejects the options %j', (options, path, message) => {
    const issue = parse(options).error?.issues[0];
    expect(issue?.path.join('.')).toBe(path);
    expect(JSON.stringify(issue)).toMatch(message);
  });
});
