export const EXISTING_TABLES_POLICIES = ['fail', 'truncate', 'append'] as const;
/**
 * What a start does with a destination table that already exists and that no connector owns
 * (made by hand, or left by a deleted connector): `fail` refuses the start, naming the table;
 * `truncate` empties it before the copy ("clear target table"); `append` copies into it and keeps
 * its rows ("ignore and append"). Either way the connector owns the table afterwards.
 */
export type ExistingTablesPolicy = (typeof EXISTING_TABLES_POLICIES)[number];
