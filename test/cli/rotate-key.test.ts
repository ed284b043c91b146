import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { EXIT } from '../../cli/cli-error.js';
import { generateKey, SecretBox } from '../../core/secrets/secret-box.js';
import { gql } from '../support/graphql-http.js';
import { runCli, startServerProcess } from '../support/server-process.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startTestServer } from '../support/test-runtime.js';

const PASSWORDS = { rot_a: 'rot-pass-Alpha!', rot_b: 'rot-pass-Bravo?' } as const;

let db: TestDatabase;
let dir: string;
let key = generateKey();

const secrets = async () =>
  (
    await db.query<{ name: string; secrets: string }>(
      'SELECT name, secrets FROM tributary.connectors ORDER BY name',
    )
  ).rows;
const rotate = (args: string[], env: Record<string, string>) =>
  runCli(['rotate-key', ...args], {
    TRIBUTARY_DATABASE_URL: db.url,
    TRIBUTARY_SECRET_KEY: '',
    TRIBUTARY_DATA_DIR: dir,
    TRIBUTARY_LOG_LEVEL: 'warn',
    ...env,
  });
const keyFile = async (name: string, value: string) => {
  const file = path.join(dir, name);
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return file;
};

/** Opens a server runtime on the key and returns each connector's decrypted password. */
async function passwordsUnder(secretKey: string): Promise<Record<string, unknown>> {
  await using server = await startTestServer(db.url, { TRIBUTARY_SECRET_KEY: secretKey });
  const result: Record<string, unknown> = {};
  for (const name of Object.keys(PASSWORDS)) {
    result[name] = (await server.runtime.services.connectors.resolve(name)).config.password;
  }
  return result;
}

beforeAll(async () => {
  db = await createTestDatabase(inject('targetClusterUrl'));
  dir = await mkdtemp(path.join(tmpdir(), 'tributary-rotate-'));
  await using server = await startTestServer(db.url, { TRIBUTARY_SECRET_KEY: key });
  for (const [name, password] of Object.entries(PASSWORDS)) {
    const added = await gql(
      server.url,
      `mutation ($password: String!) { addConnector(input: { name: "${name}", type: "memory", host: "h", port: 1,
        user: "u", password: $password, database: "d" }) { name } }`,
      { password },
    );
    expect(added.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await db?.[Symbol.asyncDispose]();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('tributary rotate-key', () => {
  it('refuses a current key that cannot decrypt the stored secrets, changing nothing', async () => {
    const before = await secrets();
    const newFile = await keyFile('wrong-new.key', generateKey());
    const result = await rotate(['--new-key-file', newFile], { TRIBUTARY_SECRET_KEY: generateKey() });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(
      /error: the current key cannot decrypt the secrets of connector "rot_a"; nothing was changed/,
    );
    expect(await secrets()).toEqual(before);
  });

  it('requires --new-key-file when the current key comes from TRIBUTARY_SECRET_KEY', async () => {
    const result = await rotate([], { TRIBUTARY_SECRET_KEY: key });
    expect(result).toMatchObject({
      code: EXIT.usage,
      stderr:
        'error: the current key comes from TRIBUTARY_SECRET_KEY: give --new-key-file <path> holding the new key\n',
    });
  });

  it('refuses while a server is connected to the database', async () => {
    await using server = await startServerProcess({
      TRIBUTARY_DATABASE_URL: db.url,
      TRIBUTARY_SECRET_KEY: key,
    });
    await gql(server.url, '{ connectors { name } }');
    const newFile = await keyFile('busy-new.key', generateKey());
    const result = await rotate(['--new-key-file', newFile], { TRIBUTARY_SECRET_KEY: key });
    expect(result.code).toBe(EXIT.usage);
    expect(result.stderr).toMatch(/a Tributary server is connected to this database/);
    expect(await passwordsUnder(key)).toEqual(PASSWORDS);
  });

  it('re-encrypts every secret under the key in --new-key-file', async () => {
    const newKey = generateKey();
    const newFile = await keyFile('new.key', newKey);
    const result = await rotate(['--new-key-file', newFile], { TRIBUTARY_SECRET_KEY: key });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({
      code: EXIT.ok,
      stdout:
        're-encrypted the secrets of 2 connectors\n' +
        `new key: ${newFile}; restart the server with TRIBUTARY_SECRET_KEY set to its contents\n`,
    });
    expect(await passwordsUnder(newKey)).toEqual(PASSWORDS);
    const old = new SecretBox(key);
    for (const row of await secrets()) expect(() => old.decrypt(row.secrets)).toThrow(/cannot decrypt/);
    key = newKey;
  });

  it('generates a new key into the data directory, keeping the old one as secret.key.old', async () => {
    const keyPath = await keyFile('secret.key', key);
    const result = await rotate([], {});
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({
      code: EXIT.ok,
      stdout:
        're-encrypted the secrets of 2 connectors\n' +
        `new key: ${keyPath} (old key kept in ${keyPath}.old); restart the server to use it\n`,
    });
    const newKey = (await readFile(keyPath, 'utf8')).trim();
    expect(newKey).not.toBe(key);
    expect((await readFile(`${keyPath}.old`, 'utf8')).trim()).toBe(key);
    expect(await passwordsUnder(newKey)).toEqual(PASSWORDS);
    await expect(passwordsUnder(key)).rejects.toThrow(/cannot decrypt a stored secret/);
  });
});
