import { execFile, execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCertificates, type TestCertificates } from '../tls-certificates.js';
import type { FakeTds } from './fake-tds-server.js';
import { startFakeTds } from './fake-tds-server.js';
import type { ResultSet } from './result-set.js';

/** FreeTDS' `tsql` (Debian freetds-bin), an independent TDS client; .ci/run installs it. */
function requireTsql(): void {
  try {
    execFileSync('tsql', ['-C'], { stdio: 'ignore' });
  } catch {
    throw new Error('tsql is not installed: apt-get install -y freetds-bin (.ci/run installs it)');
  }
}

interface TsqlRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly failed: boolean;
}

/** Runs `tsql` against the fake with a throwaway freetds.conf holding `settings`, feeding `input`. */
async function runTsql(dir: string, port: number, settings: string, input: string, password = 'secret') {
  const conf = path.join(dir, 'freetds.conf');
  await writeFile(conf, `[global]\n\ttds version = 7.4\n${settings}`);
  const args = ['-H', '127.0.0.1', '-p', String(port), '-U', 'tributary', '-P', password, '-D', 'testDB'];
  return new Promise<TsqlRun>((resolve) => {
    const child = execFile(
      'tsql',
      args,
      { env: { ...process.env, FREETDSCONF: conf }, timeout: 10_000 },
      (error, stdout, stderr) => resolve({ stdout, stderr, failed: error !== null }),
    );
    child.stdin?.end(input);
  });
}

const typed: ResultSet = {
  columns: [
    { name: 'id', type: 'int' },
    { name: 'big', type: 'bigint' },
    { name: 'name', type: 'nvarchar(20)' },
    { name: 'amount', type: 'decimal(38,10)' },
    { name: 'at', type: 'datetime2(7)' },
    { name: 'lsn', type: 'binary(10)' },
    { name: 'guid', type: 'uniqueidentifier' },
    { name: 'nothing', type: 'nvarchar(5)' },
  ],
  rows: [
    [
      42,
      '9223372036854775807',
      "O'Brien \u2713",
      '1234567890123456789012345678.0123456789',
      '2024-02-29 23:59:59.1234567',
      Buffer.from('0000002a000001f40003', 'hex'),
      '6F9619FF-8B86-D011-B42D-00C04FC964FF',
      null,
    ],
  ],
};

/** What tsql prints for `typed` (its default date format shows datetime2 to the minute). */
const expectedLines = [
  'id\tbig\tname\tamount\tat\tlsn\tguid\tnothing',
  "42\t9223372036854775807\tO'Brien \u2713\t1234567890123456789012345678.0123456789\tFeb 29 2024 11:59PM\t0000002a000001f40003\t6F9619FF-8B86-D011-B42D-00C04FC964FF\tNULL",
  '(1 row affected)',
];

describe('fake TDS server: cross-checked with FreeTDS tsql', () => {
  let certs: TestCertificates;
  let dir: string;
  let fake: FakeTds;

  beforeAll(async () => {
    requireTsql();
    certs = await makeTestCertificates();
    dir = await mkdtemp(path.join(tmpdir(), 'fake-tds-tsql-'));
    const tls = { cert: await readFile(certs.serverCert), key: await readFile(certs.serverKey) };
    fake = await startFakeTds({
      tls,
      encryption: 'on',
      users: { tributary: 'secret' },
      handler: () => typed,
    });
  });

  afterAll(async () => {
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
    await certs?.[Symbol.asyncDispose]();
  });

  const lastLogin = () => fake.received.filter((entry) => entry.kind === 'login7').at(-1);

  it('logs in without TLS and prints a typed row exactly', async () => {
    const run = await runTsql(dir, fake.port, '\tencryption = off\n', 'SELECT typed\ngo\nexit\n');
    expect(run.failed).toBe(false);
    expect(run.stdout).toContain(expectedLines.join('\n'));
    expect(lastLogin()).toMatchObject({
      appName: 'TSQL',
      user: 'tributary',
      encrypted: false,
      accepted: true,
    });
    expect(fake.received.at(-1)).toMatchObject({ kind: 'batch', sql: 'SELECT typed\n' });
  });

  it('completes the TLS-in-PRELOGIN handshake with GnuTLS, verifying the test CA, then logs in inside TLS', async () => {
    const run = await runTsql(
      dir,
      fake.port,
      `\tencryption = require\n\tca file = ${certs.ca}\n`,
      'SELECT typed\ngo\nexit\n',
    );
    expect(run.failed).toBe(false);
    expect(run.stdout).toContain(expectedLines.join('\n'));
    expect(lastLogin()).toMatchObject({ encrypted: true, accepted: true });
  });

  it('refuses the handshake against another CA: no login reaches the fake', async () => {
    const before = fake.received.filter((entry) => entry.kind === 'login7').length;
    const run = await runTsql(
      dir,
      fake.port,
      `\tencryption = require\n\tca file = ${certs.otherCa}\n`,
      'exit\n',
    );
    expect(run.failed).toBe(true);
    expect(fake.received.filter((entry) => entry.kind === 'login7')).toHaveLength(before);
  });

  it('prints error 18456 for a wrong password', async () => {
    const run = await runTsql(dir, fake.port, '\tencryption = off\n', 'exit\n', 'wrong');
    expect(run.failed).toBe(true);
    expect(`${run.stdout}${run.stderr}`).toMatch(
      /Msg 18456 \(severity 14, state 8\)[\s\S]*Login failed for user 'tributary'\./,
    );
  });
});
