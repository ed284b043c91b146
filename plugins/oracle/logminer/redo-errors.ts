/** SQL_REDO text that is not one of the statement shapes LogMiner writes; `position` is 0-based. */
export class RedoParseError extends Error {
  override readonly name = 'RedoParseError';
  constructor(
    message: string,
    readonly position: number,
    readonly sqlRedo: string,
  ) {
    super(`cannot parse SQL_REDO at character ${position}: ${message} near ${snippet(sqlRedo, position)}`);
  }
}

/**
 * LogMiner decoded a row without the dictionary entry for its object (`"UNKNOWN"."OBJ# 74858"`,
 * columns `"COL 1"`): the online catalog no longer describes the table as it was when the redo was
 * written. Guessing would write wrong columns, so the stream must stop and say so.
 */
export class DictionaryMismatchError extends Error {
  override readonly name = 'DictionaryMismatchError';
  constructor(readonly objectName: string) {
    super(
      `LogMiner could not match ${objectName} to the data dictionary (the table changed or was dropped ` +
        'after the redo was written); its changes cannot be decoded: take a new snapshot of the table',
    );
  }
}

/** A literal that cannot become a value of its column (unsupported by LogMiner, or malformed). */
export class RedoValueError extends Error {
  override readonly name = 'RedoValueError';
  constructor(
    readonly table: string,
    readonly column: string,
    reason: string,
  ) {
    super(`column ${table}.${column}: ${reason}`);
  }
}

function snippet(text: string, position: number): string {
  const start = Math.max(0, position - 20);
  const shown = text.slice(start, position + 30);
  return JSON.stringify(`${start > 0 ? '…' : ''}${shown}${position + 30 < text.length ? '…' : ''}`);
}
