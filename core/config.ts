import { readFileSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/** The server's settings, read from the environment; CLI flags of the same name override them. */
export interface Settings {
  /** Target PostgreSQL (also holds the `tributary` metadata schema); null = embedded PostgreSQL. */
  readonly databaseUrl: string | null;
  readonly dataDir: string;
  readonly host: string;
  readonly port: number;
  /** Base64 or hex 32-byte key; null = generated and kept in the data directory. */
  readonly secretKey: string | null;
  /**
   * Tokens clients must present (any one), each `role:token` (role viewer, operator or admin) or a
   * bare token, an admin's; those of TRIBUTARY_API_TOKENS_FILE follow those of TRIBUTARY_API_TOKEN.
   * Empty = no authentication.
   */
  readonly apiTokens: readonly string[];
  /** A file of `role:token` lines (blank lines and `#` comments ignored), read at startup. */
  readonly apiTokensFile: string | null;
  /** Serve without a token on a non-loopback address (otherwise refused at startup). */
  readonly allowUnauthenticated: boolean;
  /** Start the server and API without relaunching any connector (to fix one that crashes). */
  readonly safeMode: boolean;
  /** npm package names of third-party source plugins. */
  readonly plugins: readonly string[];
  readonly logLevel: string;
  /** `json` (one JSON object a line, the default, for log collectors) or `pretty` (for humans). */
  readonly logFormat: LogFormat;
}

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export type SettingsOverrides = Partial<Record<keyof Settings, string | undefined>>;

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

const settingsSchema = z.object({
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .nullable(),
  dataDir: z.string().min(1),
  host: z.string().min(1),
  port: z.coerce
    .number({ error: 'must be a number' })
    .int('must be a whole number')
    .min(0, 'must be between 0 and 65535')
    .max(65535, 'must be between 0 and 65535'),
  secretKey: z.string().min(1).nullable(),
  apiTokens: z.array(
    z
      .string()
      .refine(
        (entry) => !/^[A-Za-z]+:/.test(entry) || /^(viewer|operator|admin):./i.test(entry),
        'a token is role:token with role viewer, operator or admin (or a token without a role: an admin)',
      ),
  ),
  apiTokensFile: z.string().nullable(),
  allowUnauthenticated: z
    .string()
    .regex(/^(true|false|1|0)$/i, 'must be true or false')
    .transform((value) => /^(true|1)$/i.test(value)),
  safeMode: z
    .string()
    .regex(/^(true|false|1|0)$/i, 'must be true or false')
    .transform((value) => /^(true|1)$/i.test(value)),
  plugins: z.array(z.string()),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  logFormat: z.enum(LOG_FORMATS),
});

const ENV: Record<keyof Settings, string> = {
  databaseUrl: 'TRIBUTARY_DATABASE_URL',
  dataDir: 'TRIBUTARY_DATA_DIR',
  host: 'TRIBUTARY_HOST',
  port: 'TRIBUTARY_PORT',
  secretKey: 'TRIBUTARY_SECRET_KEY',
  apiTokens: 'TRIBUTARY_API_TOKEN',
  apiTokensFile: 'TRIBUTARY_API_TOKENS_FILE',
  allowUnauthenticated: 'TRIBUTARY_ALLOW_UNAUTHENTICATED',
  safeMode: 'TRIBUTARY_SAFE_MODE',
  plugins: 'TRIBUTARY_PLUGINS',
  logLevel: 'TRIBUTARY_LOG_LEVEL',
  logFormat: 'TRIBUTARY_LOG_FORMAT',
};

/**
 * Resolves settings from `env` and `overrides` (flags win). Throws ConfigError naming the
 * variable and what is wrong with it, or when the API would be reachable from other machines
 * without a token and that was not explicitly allowed.
 */
export function loadSettings(env: NodeJS.ProcessEnv, overrides: SettingsOverrides = {}): Settings {
  const pick = (key: keyof Settings): string | undefined => {
    const value = overrides[key] ?? env[ENV[key]];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };
  const parsed = settingsSchema.safeParse({
    databaseUrl: pick('databaseUrl') ?? null,
    dataDir: path.resolve(pick('dataDir') ?? '.tributary'),
    host: pick('host') ?? '127.0.0.1',
    port: pick('port') ?? '4000',
    secretKey: pick('secretKey') ?? null,
    apiTokens: [...list(pick('apiTokens')), ...tokenFileEntries(pick('apiTokensFile'))],
    apiTokensFile: pick('apiTokensFile') ?? null,
    allowUnauthenticated: pick('allowUnauthenticated') ?? 'false',
    safeMode: pick('safeMode') ?? 'false',
    plugins: list(pick('plugins')),
    logLevel: pick('logLevel') ?? 'info',
    logFormat: pick('logFormat') ?? 'json',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = (issue?.path[0] ?? 'settings') as keyof Settings;
    throw new ConfigError(`${ENV[key] ?? key}: ${issue?.message ?? 'invalid'}`);
  }
  if (servesUnauthenticatedBeyondLoopback(parsed.data) && !parsed.data.allowUnauthenticated) {
    throw new ConfigError(
      `TRIBUTARY_HOST: binding to ${parsed.data.host} without an API token would let anyone who can reach ` +
        'it control Tributary; set TRIBUTARY_API_TOKEN, bind to 127.0.0.1, or pass --allow-unauthenticated ' +
        '(TRIBUTARY_ALLOW_UNAUTHENTICATED=true)',
    );
  }
  return parsed.data;
}

/** The `role:token` lines of a tokens file; ConfigError when it cannot be read. */
function tokenFileEntries(file: string | undefined): string[] {
  if (!file) return [];
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`TRIBUTARY_API_TOKENS_FILE: cannot read ${file}: ${(error as Error).message}`);
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** `localhost`, 127.0.0.0/8 and ::1 (also written `[::1]` or IPv4-mapped). */
export function isLoopbackHost(host: string): boolean {
  const address = host.replace(/^\[(.*)\]$/, '$1');
  if (address.toLowerCase() === 'localhost') return true;
  const version = isIP(address);
  return version !== 0 && LOOPBACK.check(address, version === 4 ? 'ipv4' : 'ipv6');
}

/** True when the API would answer other machines without asking for a token. */
export function servesUnauthenticatedBeyondLoopback(settings: Pick<Settings, 'host' | 'apiTokens'>): boolean {
  return settings.apiTokens.length === 0 && !isLoopbackHost(settings.host);
}
