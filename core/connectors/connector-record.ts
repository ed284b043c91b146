export const LETTER_CASINGS = ['lowercase', 'uppercase', 'asis'] as const;
export type LetterCasing = (typeof LETTER_CASINGS)[number];
export const ERROR_STRATEGIES = ['exit', 'skip', 'retry'] as const;
export type ErrorStrategy = (typeof ERROR_STRATEGIES)[number];

/** A saved connector as the API shows it: never a password or any other secret. */
export interface ConnectorRecord {
  readonly name: string;
  readonly type: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
  readonly schema: string | null;
  readonly tables: readonly string[] | null;
  readonly snapshotTables: readonly string[] | null;
  readonly letterCasing: LetterCasing;
  readonly errorStrategy: ErrorStrategy;
  /** Plugin options with secret keys removed. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly active: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** What a user gives to create a connector. */
export interface ConnectorInput {
  readonly name: string;
  readonly type: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  readonly database: string;
  readonly schema?: string | null;
  readonly tables?: readonly string[] | null;
  readonly snapshotTables?: readonly string[] | null;
  readonly letterCasing?: LetterCasing | null;
  readonly errorStrategy?: ErrorStrategy | null;
  /** A JSON object, or a string holding one. */
  readonly options?: unknown;
}

/** A change to a connector; absent fields keep their value, `null` clears nullable ones. */
export type ConnectorPatch = {
  readonly [K in keyof Omit<ConnectorInput, 'name' | 'type'>]?: ConnectorInput[K] | null;
};
