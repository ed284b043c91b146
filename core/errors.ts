/**
 * The errors the engine and the API branch on. Each carries the GraphQL `extensions.code` it maps
 * to; anything else reaching a boundary is an internal error. Messages say what was wrong and what
 * to do, and never contain secrets.
 */
export type ErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_INPUT'
  | 'INVALID_STATE'
  | 'UNSUPPORTED'
  | 'SOURCE_ERROR'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN';

export class TributaryError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class NotFoundError extends TributaryError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

export class AlreadyExistsError extends TributaryError {
  constructor(message: string) {
    super('ALREADY_EXISTS', message);
  }
}

export class InvalidInputError extends TributaryError {
  constructor(message: string, options?: ErrorOptions) {
    super('INVALID_INPUT', message, options);
  }
}

export class InvalidStateError extends TributaryError {
  constructor(message: string) {
    super('INVALID_STATE', message);
  }
}

export class UnsupportedError extends TributaryError {
  constructor(message: string) {
    super('UNSUPPORTED', message);
  }
}

/** The caller's token has a role that may not do this (a viewer mutating, an operator adding). */
export class ForbiddenError extends TributaryError {
  constructor(message: string) {
    super('FORBIDDEN', message);
  }
}

/** Bad settings found at startup or when loading a plugin; fatal for the process. */
export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** The source cannot be reached or refuses the session; worth retrying. */
export class SourceUnavailableError extends TributaryError {
  constructor(message: string, options?: ErrorOptions) {
    super('SOURCE_ERROR', message, options);
  }
}

/**
 * The source refused the session and retrying cannot help: wrong credentials, a database that does
 * not exist, a locked or expired account. The engine never retries it on its own: the connector's
 * error strategy decides (EXIT and SKIP stop it; RETRY retries with back-off, which may lock an
 * account that counts failed logins). A plugin throws it when the driver's error says so, with the
 * driver's error as `cause` and never the password in the message.
 */
export class SourceRefusedError extends SourceUnavailableError {}

/** The source no longer holds the change history the connector needs; a new snapshot is required. */
export class HistoryLostError extends TributaryError {
  constructor(message: string, options?: ErrorOptions) {
    super('SOURCE_ERROR', message, options);
  }
}
