import type { PrerequisiteCheck } from './source-connection.js';

/** A check result; `hint` (the statement that fixes it) is kept only when the check failed. */
export function prerequisiteCheck(
  name: string,
  ok: boolean,
  detail: string,
  failure: { hint?: string } = {},
): PrerequisiteCheck {
  return ok ? { name, ok, detail } : { name, ok, detail, ...failure };
}
