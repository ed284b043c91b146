import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConnectionOptions } from 'node:tls';
import { z } from 'zod';
import { SourceUnavailableError } from '../errors.js';
import { errorMessage } from './source-errors.js';

/**
 * How a source connection uses TLS, with libpq's meanings:
 * - `disable`: plain TCP; the password and the data cross the network unencrypted.
 * - `require`: encrypted, but the server's certificate is not checked (no protection against a
 *   man in the middle).
 * - `verify-ca`: encrypted, and the server's certificate must chain to `ca` (or, without `ca`, to
 *   a CA of the system store).
 * - `verify-full`: as `verify-ca`, and the certificate must also name the host connected to (a DNS
 *   name or an IP address in its subject alternative names).
 * Unlike libpq there is no `prefer`: a connection never falls back to plain TCP by itself.
 */
export const TLS_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type TlsMode = (typeof TLS_MODES)[number];

type TlsFile = 'ca' | 'cert' | 'key';

const tlsFile = (name: TlsFile) =>
  z
    .string({ error: `tls.${name} must be a file path` })
    .trim()
    .min(1, `tls.${name} must not be empty`)
    .refine((file) => path.isAbsolute(file), `tls.${name} must be an absolute path`);

/**
 * A connector's `options.tls`, the same for every plugin that speaks TLS: `mode` (required), and
 * absolute paths of PEM files: `ca` (the CA certificates the server's certificate must chain to),
 * `cert` and `key` (a client certificate and its private key, for servers that ask for one). The
 * files are read when connecting (see `loadTls`), so a renewed certificate is used at the next
 * connect. Refused: `cert` without `key` and the reverse; any file with `disable`; `ca` with
 * `require` (which verifies nothing: use `verify-ca`). Absent `options.tls` means `disable`.
 */
export const tlsOptions = z
  .object({
    mode: z.enum(TLS_MODES, {
      error: (issue) =>
        `tls.mode ${issue.input === undefined ? 'is required' : 'must be'}: one of ${TLS_MODES.join(', ')}`,
    }),
    ca: tlsFile('ca').optional(),
    cert: tlsFile('cert').optional(),
    key: tlsFile('key').optional(),
  })
  .strict()
  .superRefine((tls, context) => {
    const problem = (file: TlsFile, message: string) =>
      context.addIssue({ code: 'custom', path: [file], message });
    if (tls.mode === 'disable') {
      for (const file of ['ca', 'cert', 'key'] as const) {
        if (tls[file] !== undefined) problem(file, `tls.${file} is not used when tls.mode is disable`);
      }
      return;
    }
    if (tls.mode === 'require' && tls.ca !== undefined)
      problem(
        'ca',
        "tls.ca is not used with tls.mode require, which does not verify the server's certificate: use verify-ca or verify-full",
      );
    if (tls.key !== undefined && tls.cert === undefined)
      problem('key', 'tls.key is given without tls.cert: a client certificate needs both');
    if (tls.cert !== undefined && tls.key === undefined)
      problem('cert', 'tls.cert is given without tls.key: a client certificate needs both');
  });

export type TlsOptions = z.output<typeof tlsOptions>;

/**
 * The TLS settings with the files read, ready for a driver. `key` is not enumerable, so that it
 * stays out of logs, JSON and `util.inspect`; never put it in a message.
 */
export interface TlsMaterial {
  readonly mode: TlsMode;
  readonly ca?: string;
  readonly cert?: string;
  readonly key?: string;
}

/**
 * Reads the files `options` names (absent options: mode `disable`). Throws SourceUnavailableError
 * naming the option and the path (never the contents) when a file cannot be read or is not PEM.
 */
export async function loadTls(options: TlsOptions | undefined): Promise<TlsMaterial> {
  const mode = options?.mode ?? 'disable';
  const material: { mode: TlsMode; ca?: string; cert?: string } = { mode };
  if (options === undefined || mode === 'disable') return material;
  if (options.ca !== undefined) material.ca = await readPem('ca', options.ca);
  if (options.cert !== undefined) material.cert = await readPem('cert', options.cert);
  if (options.key !== undefined) hide(material, 'key', await readPem('key', options.key));
  return material;
}

/**
 * Node's `tls.connect` options for `material` (what `pg` takes as `ssl`), or `false` for
 * `disable`. `verify-ca` checks the chain but not the host name; `require` checks nothing.
 */
export function nodeTlsOptions(material: TlsMaterial): ConnectionOptions | false {
  if (material.mode === 'disable') return false;
  const options: ConnectionOptions = { rejectUnauthorized: material.mode !== 'require' };
  if (material.ca !== undefined) options.ca = material.ca;
  if (material.cert !== undefined) options.cert = material.cert;
  if (material.key !== undefined) hide(options, 'key', material.key);
  if (material.mode === 'verify-ca') options.checkServerIdentity = () => undefined;
  return options;
}

/** X.509 verification failures as Node reports them (OpenSSL's verify result names). */
const VERIFY_FAILURES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'INVALID_CA',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
]);

/**
 * A clear message for a connection failure caused by TLS — certificate verification, host name,
 * a server without TLS, a server that insists on it, a client certificate problem — naming the
 * option to change; null when `error` (or a cause of it) is not about TLS.
 */
export function describeTlsFailure(error: unknown, mode: TlsMode): string | null {
  for (let current = error, depth = 0; current != null && depth < 5; depth++) {
    const described = describeOne(current, mode);
    if (described !== null) return described;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * The same failures by Node's message, for drivers that replace the code (mysql2 sets
 * `HANDSHAKE_SSL_ERROR` on every TLS failure).
 */
const VERIFY_MESSAGE =
  /self[- ]signed certificate|unable to (get (local )?issuer certificate|verify the first certificate)|certificate (has expired|is not yet valid|signature failure|revoked)|invalid CA certificate/i;
const HOST_MESSAGE = /does not match certificate's altnames/i;

function describeOne(error: unknown, mode: TlsMode): string | null {
  const code = String((error as { code?: unknown }).code ?? '');
  const message = errorMessage(error);
  const setting = `options.tls.mode ${mode}`;
  if (VERIFY_FAILURES.has(code) || VERIFY_MESSAGE.test(message))
    return `TLS: certificate verify failed: ${message} (${setting}; options.tls.ca must hold the CA that signed the server's certificate)`;
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || HOST_MESSAGE.test(message))
    return `TLS: the server's certificate does not name this host: ${message} (${setting}; connect to a name or address the certificate lists, or use verify-ca)`;
  if (code === 'HANDSHAKE_NO_SSL_SUPPORT' || /server does not support (SSL|secure)/i.test(message))
    return `TLS: the server does not accept TLS connections (${setting}; enable TLS on the server, or set options.tls.mode to disable)`;
  if (mode === 'disable' && /no encryption|insecure transport|SSL connection is required/i.test(message))
    return `TLS: the server accepts only encrypted connections: ${message} (${setting}; set options.tls.mode to verify-full, verify-ca or require)`;
  if (/client certificate|certificate required/i.test(message))
    return `TLS: the server refused the client certificate: ${message} (${setting}; check options.tls.cert and options.tls.key)`;
  if (/^ERR_(SSL|OSSL)_|^HANDSHAKE_SSL_ERROR$/.test(code))
    return `TLS: handshake failed: ${message} (${setting}; check that options.tls.cert and options.tls.key are PEM files that belong together)`;
  return null;
}

async function readPem(name: TlsFile, file: string): Promise<string> {
  const option = `options.tls.${name}`;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = READ_FAILURES[String(code)] ?? errorMessage(error);
    throw new SourceUnavailableError(`TLS: cannot read ${option} (${file}): ${reason}`, { cause: error });
  }
  if (!text.includes('-----BEGIN '))
    throw new SourceUnavailableError(`TLS: ${option} (${file}) is not a PEM file`);
  return text;
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
};

function hide(target: object, name: string, value: string): void {
  Object.defineProperty(target, name, { value, enumerable: false, writable: true, configurable: true });
}
