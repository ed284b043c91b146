import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, loadSettings } from '../../core/config.js';

describe('loadSettings', () => {
  it('defaults to an embedded database in ./.tributary on 127.0.0.1:4000', () => {
    expect(loadSettings({})).toEqual({
      databaseUrl: null,
      dataDir: path.resolve('.tributary'),
      host: '127.0.0.1',
      port: 4000,
      secretKey: null,
      apiTokens: [],
      apiTokensFile: null,
      allowUnauthenticated: false,
      safeMode: false,
      plugins: [],
      logLevel: 'info',
      logFormat: 'json',
    });
  });

  it('reads every TRIBUTARY_* variable', () => {
    const settings = loadSettings({
      TRIBUTARY_DATABASE_URL: 'postgres://u@db/target',
      TRIBUTARY_DATA_DIR: '/var/lib/tributary',
      TRIBUTARY_HOST: '0.0.0.0',
      TRIBUTARY_PORT: '8080',
      TRIBUTARY_SECRET_KEY: 'k',
      TRIBUTARY_API_TOKEN: 'one, two',
      TRIBUTARY_PLUGINS: 'tributary-db2,@acme/tributary-mongo',
      TRIBUTARY_LOG_LEVEL: 'debug',
    });
    expect(settings).toMatchObject({
      databaseUrl: 'postgres://u@db/target',
      dataDir: '/var/lib/tributary',
      host: '0.0.0.0',
      port: 8080,
      apiTokens: ['one', 'two'],
      plugins: ['tributary-db2', '@acme/tributary-mongo'],
      logLevel: 'debug',
    });
  });

  it('reads tokens with roles from TRIBUTARY_API_TOKEN and a tokens file, after each other', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'tributary-tokens-')), 'tokens');
    writeFileSync(file, '# dashboards\nviewer:v1\n\noperator:o1\n');
    const settings = loadSettings({ TRIBUTARY_API_TOKEN: 'admin:a1,plain', TRIBUTARY_API_TOKENS_FILE: file });
    expect(settings.apiTokens).toEqual(['admin:a1', 'plain', 'viewer:v1', 'operator:o1']);
  });

  it('refuses a token whose role is not viewer, operator or admin, rather than making it an admin', () => {
    expect(() => loadSettings({ TRIBUTARY_API_TOKEN: 'operater:o1' })).toThrow(
      /TRIBUTARY_API_TOKEN: a token is role:token with role viewer, operator or admin/,
    );
    expect(() => loadSettings({ TRIBUTARY_API_TOKENS_FILE: '/nonexistent/tokens' })).toThrow(
      /TRIBUTARY_API_TOKENS_FILE: cannot read/,
    );
  });

  it('lets flags override the environment', () => {
    const settings = loadSettings(
      { TRIBUTARY_PORT: '8080', TRIBUTARY_DATA_DIR: '/a' },
      { port: '9090', dataDir: '/b' },
    );
    expect(settings.port).toBe(9090);
    expect(settings.dataDir).toBe('/b');
  });

  it('names the variable and the problem for bad values', () => {
    expect(() => loadSettings({ TRIBUTARY_PORT: '99999' })).toThrow(
      'TRIBUTARY_PORT: must be between 0 and 65535',
    );
    expect(() => loadSettings({ TRIBUTARY_PORT: 'http' })).toThrow(/TRIBUTARY_PORT: must be a number/);
    expect(() => loadSettings({ TRIBUTARY_DATABASE_URL: 'mysql://x' })).toThrow(
      'TRIBUTARY_DATABASE_URL: must be a postgres:// or postgresql:// URL',
    );
  });
});

describe('bind policy', () => {
  const refusal =
    /^TRIBUTARY_HOST: binding to (\S+) without an API token would let anyone who can reach it control Tributary; set TRIBUTARY_API_TOKEN, bind to 127\.0\.0\.1, or pass --allow-unauthenticated \(TRIBUTARY_ALLOW_UNAUTHENTICATED=true\)$/;

  it.each(['0.0.0.0', '::', '192.168.1.20', 'tributary.example.com'])(
    'refuses %s without a token',
    (host) => {
      expect(() => loadSettings({ TRIBUTARY_HOST: host })).toThrow(refusal);
    },
  );

  it.each(['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1'])(
    'serves %s without a token',
    (host) => {
      expect(loadSettings({ TRIBUTARY_HOST: host }).host).toBe(host);
    },
  );

  it('serves any address when a token is set', () => {
    expect(loadSettings({ TRIBUTARY_HOST: '0.0.0.0', TRIBUTARY_API_TOKEN: 's3cret' })).toMatchObject({
      host: '0.0.0.0',
      apiTokens: ['s3cret'],
      allowUnauthenticated: false,
    });
  });

  it('serves any address without a token when allowed by the environment or the flag', () => {
    expect(
      loadSettings({ TRIBUTARY_HOST: '0.0.0.0', TRIBUTARY_ALLOW_UNAUTHENTICATED: 'true' })
        .allowUnauthenticated,
    ).toBe(true);
    expect(
      loadSettings({ TRIBUTARY_HOST: '::' }, { allowUnauthenticated: 'true' }).allowUnauthenticated,
    ).toBe(true);
  });

  it('turns safe mode on from TRIBUTARY_SAFE_MODE or the flag, and names the variable when it is not a boolean', () => {
    expect(loadSettings({ TRIBUTARY_SAFE_MODE: 'true' }).safeMode).toBe(true);
    expect(loadSettings({ TRIBUTARY_SAFE_MODE: 'false' }, { safeMode: 'true' }).safeMode).toBe(true);
    expect(() => loadSettings({ TRIBUTARY_SAFE_MODE: 'maybe' })).toThrow(
      'TRIBUTARY_SAFE_MODE: must be true or false',
    );
  });

  it('takes the log format from TRIBUTARY_LOG_FORMAT or the flag, and names the variable for an unknown one', () => {
    expect(loadSettings({ TRIBUTARY_LOG_FORMAT: 'pretty' }).logFormat).toBe('pretty');
    expect(loadSettings({ TRIBUTARY_LOG_FORMAT: 'json' }, { logFormat: 'pretty' }).logFormat).toBe('pretty');
    expect(() => loadSettings({ TRIBUTARY_LOG_FORMAT: 'xml' })).toThrow(/^TRIBUTARY_LOG_FORMAT: /);
  });

  it('names the variable when TRIBUTARY_ALLOW_UNAUTHENTICATED is not a boolean', () => {
    expect(() => loadSettings({ TRIBUTARY_ALLOW_UNAUTHENTICATED: 'sure' })).toThrow(
      'TRIBUTARY_ALLOW_UNAUTHENTICATED: must be true or false',
    );
    expect(() =>
      loadSettings({ TRIBUTARY_HOST: '0.0.0.0', TRIBUTARY_ALLOW_UNAUTHENTICATED: 'false' }),
    ).toThrow(refusal);
  });

  it('counts only loopback addresses and localhost as local', () => {
    expect(['127.0.0.1', '127.255.0.1', '::1', '0:0:0:0:0:0:0:1', 'localhost'].map(isLoopbackHost)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.example.com'].map(isLoopbackHost)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });
});
