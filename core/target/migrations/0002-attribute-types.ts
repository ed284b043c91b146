/**
 * The type each replicated column was created with, as written in DDL (`varchar(40)`), so a
 * reload can tell which DATATYPE rules changed a column. Null for columns recorded before.
 */
export const sql = `
ALTER TABLE tributary.attributes ADD COLUMN destination_type text;
`;
