import { describe, expect, it } from 'vitest';
import { redactArguments } from '../../../core/audit/redact-arguments.js';
import { parseTokenEntry, roleAllows } from '../../../schema/api-token.js';

describe('audit arguments', () => {
  it('replaces passwords, keys and tokens at any depth, and keeps everything else (a primaryKey is no key)', () => {
    expect(
      redactArguments({
        input: { name: 'shop', user: 'u', password: 'hunter2', options: { sslKey: 'PEM', primaryKey: 'id' } },
        token: 't',
        secretKey: 'k',
        tables: ['a.b'],
        offset: '0/16B3748',
      }),
    ).toEqual({
      input: { name: 'shop', user: 'u', password: '***', options: { sslKey: '***', primaryKey: 'id' } },
      token: '***',
      secretKey: '***',
      tables: ['a.b'],
      offset: '0/16B3748',
    });
  });

  it('keeps a null or missing secret as it is, so the trail shows it was not given', () => {
    expect(redactArguments({ input: { password: null } })).toEqual({ input: { password: null } });
  });
});

describe('token entries', () => {
  it('reads role:token, and a bare token as an admin one', () => {
    expect(parseTokenEntry('viewer:abc')).toEqual({ role: 'viewer', token: 'abc' });
    expect(parseTokenEntry('Operator:a:b')).toEqual({ role: 'operator', token: 'a:b' });
    expect(parseTokenEntry('abc')).toEqual({ role: 'admin', token: 'abc' });
  });

  it('orders roles viewer < operator < admin', () => {
    expect(roleAllows('admin', 'operator')).toBe(true);
    expect(roleAllows('operator', 'operator')).toBe(true);
    expect(roleAllows('operator', 'admin')).toBe(false);
    expect(roleAllows('viewer', 'operator')).toBe(false);
  });
});
