import { z } from 'zod';
import { EXISTING_TABLES_POLICIES, type ExistingTablesPolicy } from '../target/existing-tables-policy.js';
import type { ConnectorRecord } from './connector-record.js';
import { invalidInput } from './connector-rules.js';

/**
 * Options the engine reads from a connector's `options` object; plugins never see them. Values
 * are accepted in any letter case and stored upper-case (`"existingTables": "TRUNCATE"`).
 */
const engineOptions = z.object({
  existingTables: z
    .preprocess(
      (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
      z.enum(EXISTING_TABLES_POLICIES, {
        error: 'existingTables must be FAIL, TRUNCATE or APPEND',
      }),
    )
    .optional(),
});
const ENGINE_OPTION_KEYS: readonly string[] = Object.keys(engineOptions.shape);

/** A connector's `options` split into the engine's (validated, normalised) and the plugin's. */
export interface SplitOptions {
  readonly engine: Record<string, unknown>;
  readonly plugin: Record<string, unknown>;
}

/** Splits and validates the engine's options; INVALID_INPUT naming the option when one is wrong. */
export function splitEngineOptions(options: Readonly<Record<string, unknown>>): SplitOptions {
  const given = Object.fromEntries(
    Object.entries(options).filter(([key]) => ENGINE_OPTION_KEYS.includes(key)),
  );
  const parsed = engineOptions.safeParse(given);
  if (!parsed.success) throw invalidInput(parsed.error, 'options.');
  const engine: Record<string, unknown> = {};
  if (parsed.data.existingTables) engine.existingTables = parsed.data.existingTables.toUpperCase();
  return { engine, plugin: withoutEngineOptions(options) };
}

/** `options` without the engine's keys: what the plugin's config schema validates. */
export function withoutEngineOptions(options: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !ENGINE_OPTION_KEYS.includes(key)));
}

/** The connector's policy for unowned existing destination tables; `fail` unless set. */
export function existingTablesPolicy(record: Pick<ConnectorRecord, 'options'>): ExistingTablesPolicy {
  const parsed = engineOptions.shape.existingTables.safeParse(record.options.existingTables);
  return (parsed.success && parsed.data) || 'fail';
}
