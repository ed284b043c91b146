import { z } from 'zod';
import { InvalidInputError } from '../errors.js';
import { ERROR_STRATEGIES, LETTER_CASINGS } from './connector-record.js';

/** Connector names also name source-side objects (slots, publications), so they stay plain. */
export const connectorName = z
  .string({ error: 'name is required' })
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,62}$/,
    'name must start with a letter and hold only letters, digits and underscores, at most 63 characters',
  );

const tableName = z
  .string()
  .trim()
  .min(1, 'table names must not be empty')
  .max(256, 'table names must be at most 256 characters');

/** The engine-level settings of a connector, validated before the plugin sees the rest. */
export const connectorSettings = z
  .object({
    tables: z.array(tableName).min(1, 'tables must list at least one table, or be null for all').nullable(),
    snapshotTables: z
      .array(tableName)
      .min(1, 'snapshotTables must list at least one table, or be null')
      .nullable(),
    letterCasing: z.enum(LETTER_CASINGS),
    errorStrategy: z.enum(ERROR_STRATEGIES),
  })
  .refine(
    (value) =>
      !value.tables || !value.snapshotTables || value.snapshotTables.every((t) => value.tables?.includes(t)),
    { message: 'snapshotTables must be a subset of tables', path: ['snapshotTables'] },
  );

/** Parses `options` given as an object or as a JSON text holding one. */
export function parseOptions(options: unknown): Record<string, unknown> {
  if (options === undefined || options === null) return {};
  let value = options;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch (error) {
      throw new InvalidInputError(
        `options is not valid JSON (${(error as Error).message}); give a JSON object`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidInputError('options must be a JSON object, e.g. {"sslMode": "require"}');
  }
  return value as Record<string, unknown>;
}

/** Turns a zod failure into INVALID_INPUT naming the field and what to fix. */
export function invalidInput(error: z.ZodError, prefix = ''): InvalidInputError {
  const issue = error.issues[0];
  const field = issue?.path.join('.') ?? '';
  const message = issue?.message ?? 'invalid input';
  const where = field && !message.startsWith(field) ? `${field}: ` : '';
  return new InvalidInputError(`${prefix}${where}${message}`, { cause: error });
}
