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
  readonly apiTokens: readonly string[];
  /** npm package names of third-party source plugins. */
  readonly plugins: readonly string[];
  readonly logLevel: string;
}

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
  apiTokens: z.array(z.string()),
  plugins: z.array(z.string()),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
});

const ENV: Record<keyof Settings, string> = {
  databaseUrl: 'TRIBUTARY_DATABASE_URL',
  dataDir: 'TRIBUTARY_DATA_DIR',
  host: 'TRIBUTARY_HOST',
  port: 'TRIBUTARY_PORT',
  secretKey: 'TRIBUTARY_SECRET_KEY',
  apiTokens: 'TRIBUTARY_API_TOKEN',
  plugins: 'TRIBUTARY_PLUGINS',
  logLevel: 'TRIBUTARY_LOG_LEVEL',
};

/**
 * Resolves settings from `env` and `overrides` (flags win). Throws ConfigError naming the
 * variable and what is wrong with it.
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
    apiTokens: list(pick('apiTokens')),
    plugins: list(pick('plugins')),
    logLevel: pick('logLevel') ?? 'info',
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = (issue?.path[0] ?? 'settings') as keyof Settings;
    throw new ConfigError(`${ENV[key] ?? key}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
