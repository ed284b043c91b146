import { offsetValidator } from '../../core/plugin/kit.js';

/**
 * A position in the binary log: the file and the byte offset of the next event, plus the GTID
 * state there when the server has one (MariaDB always; MySQL with `gtid_mode=ON`).
 */
export interface BinlogPosition {
  readonly file: string;
  readonly position: number;
  /** MariaDB `domain-server-seq[,...]` or a MySQL GTID set; informational, never compared. */
  readonly gtid?: string;
}

/**
 * Offsets are `<file>:<position as 16 digits>` with `;gtid=<set>` appended when known, e.g.
 * `mariadb-bin.000003:0000000000001234;gtid=0-1-42`. Binary log files of one server share a base
 * name and number their extensions with the same width, so string order equals log order.
 */
const OFFSET_PATTERN = /^([^:;/\\\s]+\.\d{6,}):(\d{16})(?:;gtid=([0-9A-Za-z:,_-]*))?$/;
const POSITION_DIGITS = 16;

const EXPECTED =
  'offsets look like mariadb-bin.000003:0000000000001234 (binary log file, a colon, the position as 16 digits), ' +
  'optionally followed by ;gtid=<gtid set>';

export function formatOffset(position: BinlogPosition): string {
  if (!Number.isSafeInteger(position.position) || position.position < 0)
    throw new RangeError(`binlog position ${position.position} is not a whole number`);
  const base = `${position.file}:${String(position.position).padStart(POSITION_DIGITS, '0')}`;
  return position.gtid ? `${base};gtid=${position.gtid}` : base;
}

/** Reads an offset made by `formatOffset`; rejects anything else with a message naming the value. */
export function parseOffset(offset: string): BinlogPosition {
  const match = typeof offset === 'string' ? OFFSET_PATTERN.exec(offset) : null;
  if (!match) throw new RangeError(`malformed MySQL offset ${JSON.stringify(offset)}: ${EXPECTED}`);
  const [, file = '', position = '0', gtid] = match;
  return gtid ? { file, position: Number(position), gtid } : { file, position: Number(position) };
}

/** The plugin's `validateOffset`: null for a well-formed offset, else what one looks like. */
export const validateOffset = offsetValidator(parseOffset);
