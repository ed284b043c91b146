import type { PrerequisiteCheck } from '../plugin/source-connection.js';

/** The source is not set up for change capture; the message lists every failed check with its fix. */
export class PrerequisiteError extends Error {
  constructor(readonly failed: readonly PrerequisiteCheck[]) {
    super(
      `source prerequisites not met: ${failed
        .map((check) => `${check.name}: ${check.detail}${check.hint ? ` (fix: ${check.hint})` : ''}`)
        .join('; ')}`,
    );
    this.name = 'PrerequisiteError';
  }
}
