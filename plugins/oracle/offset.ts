/**
 * Oracle offsets (see `logminer/oracle-offset.ts` for the grammar and why string order is history
 * order): `<commit SCN>:<XID>;from=<resume SCN>` after a transaction, `<SCN>;from=<resume SCN>`
 * between transactions.
 */
export {
  compareOffsets,
  formatOffset,
  fromDebeziumOffset,
  isAtOrBefore,
  type OracleOffset,
  parseOffset,
  validateOffset,
} from './logminer/oracle-offset.js';
