/** A condition that needs attention while the connector runs (e.g. WAL retained by its slot). */
export const sql = `
ALTER TABLE tributary.connector_state ADD COLUMN warning text;
`;
