import { describe, expect, it } from 'vitest';
import { mysqlPlugin } from '../../../plugins/mysql/index.js';

const base = { host: 'db.example', port: 3306, user: 'replicator', password: 'secret', database: 'shop' };
const parse = (options?: unknown) =>
  mysqlPlugin.configSchema.safeParse({ ...base, ...(options === undefined ? {} : { options }) });

describe('mysql config', () => {
  it('defaults the options', () => {
    expect(parse().data?.options).toEqual({ heartbeatIntervalMs: 10_000, connectTimeoutMs: 10_000 });
  });

  it('accepts a stall timeout of at least two heartbeats', () => {
    expect(parse({ heartbeatIntervalMs: 500, stallTimeoutMs: 1_000 }).data?.options.stallTimeoutMs).toBe(
      1_000,
    );
  });

  it.each([
    [{ heartbeatIntervalMs: 50 }, 'options.heartbeatIntervalMs', /at least 100/],
    [{ connectTimeoutMs: 10 }, 'options.connectTimeoutMs', /at least 1000/],
    [{ stallTimeoutMs: 'soon' }, 'options.stallTimeoutMs', /must be a number/],
    [{ stallTimeoutMs: 12_000 }, 'options.stallTimeoutMs', /at least twice heartbeatIntervalMs \(20000\)/],
    [{ pollMs: 5 }, 'options', /pollMs/],
  ])('rejects the options %j', (options, path, message) => {
    const issue = parse(options).error?.issues[0];
    expect(issue?.path.join('.')).toBe(path);
    expect(JSON.stringify(issue)).toMatch(message);
  });
});
