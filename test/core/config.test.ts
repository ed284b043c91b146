import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../core/config.js';

describe('loadSettings', () => {
  it('defaults to an embedded database in ./.tributary on 127.0.0.1:4000', () => {
    expect(loadSettings({})).toEqual({
      databaseUrl: null,
      dataDir: path.resolve('.tributary'),
      host: '127.0.0.1',
      port: 4000,
      secretKey: null,
      apiTokens: [],
      plugins: [],
      logLevel: 'info',
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
