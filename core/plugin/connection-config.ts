import { z } from 'zod';

const required = (what: string, max: number) =>
  z
    .string({ error: `${what} is required` })
    .trim()
    .min(1, `${what} must not be empty`)
    .max(max, `${what} must be at most ${max} characters`);

/**
 * The fields every connector has, with SynchDB's limits. Plugins extend this schema: typically
 * `baseConnectionConfig.extend({ options: z.object({...}).strict().default({}) })`.
 */
export const baseConnectionConfig = z.object({
  host: required('host', 256),
  port: z
    .number({ error: 'port must be a number' })
    .int('port must be a whole number')
    .min(1, 'port must be between 1 and 65535')
    .max(65535, 'port must be between 1 and 65535'),
  user: required('user', 64),
  password: z.string({ error: 'password is required' }).min(1, 'password must not be empty').max(128),
  database: required('database', 64),
  schema: z.string().trim().min(1, 'schema must not be empty when given').max(64).nullable().default(null),
  options: z.record(z.string(), z.unknown()).default({}),
});

/**
 * A whole number of milliseconds between `min` and `max`, defaulting to `fallback`, with messages
 * naming the option (`heartbeatIntervalMs must be at least 100`).
 */
export function millisecondsOption(name: string, min: number, max: number, fallback: number) {
  return z
    .number({ error: `${name} must be a number` })
    .int(`${name} must be a whole number of milliseconds`)
    .min(min, `${name} must be at least ${min}`)
    .max(max, `${name} must be at most ${max}`)
    .default(fallback);
}
