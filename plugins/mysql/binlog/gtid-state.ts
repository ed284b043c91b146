/**
 * The two GTID notations a server reports with a binary log position:
 * - MariaDB `@@gtid_binlog_pos`: `domain-server-sequence` per replication domain, comma-separated
 *   (`0-1-42,1-2-7`); domain and server are 32-bit, the sequence 64-bit.
 * - MySQL `@@gtid_executed`: `uuid:interval[:interval]` per source server, comma-separated, where an
 *   interval is `n` or `n-m`; from MySQL 8.3 a `tag` (letter or `_`, then up to 31 letters, digits
 *   or `_`) may precede intervals and applies to the ones after it:
 *   `3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5:backup:1-3,…`. MySQL prints it with `,\n` separators;
 *   offsets carry it with whitespace removed.
 */
export type GtidState =
  | { readonly kind: 'mariadb'; readonly gtids: readonly MariadbGtid[] }
  | { readonly kind: 'mysql'; readonly sets: readonly MysqlGtidSet[] };

export interface MariadbGtid {
  readonly domain: number;
  readonly server: number;
  readonly sequence: bigint;
}

/** The transactions of one source server (and one tag; `null` for untagged ones). */
export interface MysqlGtidSet {
  readonly uuid: string;
  readonly tag: string | null;
  /** Inclusive `[first, last]` transaction numbers. */
  readonly intervals: readonly (readonly [bigint, bigint])[];
}

const MARIADB_GTID = /^(\d{1,10})-(\d{1,10})-(\d{1,20})$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INTERVAL = /^(\d{1,20})(?:-(\d{1,20}))?$/;
const TAG = /^[A-Za-z_][A-Za-z0-9_]{0,31}$/;
const UINT32_MAX = 4_294_967_295;
const UINT64_MAX = 18_446_744_073_709_551_615n;
/** MySQL's largest GTID transaction number (2^63 - 1). */
const MYSQL_GNO_MAX = 9_223_372_036_854_775_807n;

/** Removes the whitespace MySQL puts between the members of a GTID set. */
export function compactGtid(text: string): string {
  return text.replace(/\s+/g, '');
}

/**
 * Reads a MariaDB GTID position or a MySQL GTID set (whitespace ignored); throws RangeError naming
 * the value when it is neither. An empty text is not a GTID state.
 */
export function parseGtidState(text: string): GtidState {
  const members = compactGtid(text).split(',');
  const fail = (why: string): never => {
    throw new RangeError(`malformed GTID state ${JSON.stringify(text)}: ${why}`);
  };
  if (members.some((member) => member === '')) fail('empty member');
  if (members.every((member) => MARIADB_GTID.test(member))) {
    return { kind: 'mariadb', gtids: members.map((member) => mariadbGtid(member, fail)) };
  }
  if (members.every((member) => UUID.test(member.slice(0, 36)))) {
    return { kind: 'mysql', sets: members.flatMap((member) => mysqlGtidSets(member, fail)) };
  }
  return fail('expected MariaDB domain-server-sequence[,…] or MySQL uuid:interval[,…]');
}

function mariadbGtid(member: string, fail: (why: string) => never): MariadbGtid {
  const [, domain = '', server = '', sequence = ''] = MARIADB_GTID.exec(member) ?? [];
  if (Number(domain) > UINT32_MAX || Number(server) > UINT32_MAX)
    fail(`${member}: domain or server id too large`);
  if (BigInt(sequence) > UINT64_MAX) fail(`${member}: sequence number too large`);
  return { domain: Number(domain), server: Number(server), sequence: BigInt(sequence) };
}

function mysqlGtidSets(member: string, fail: (why: string) => never): MysqlGtidSet[] {
  const [uuid = '', ...parts] = member.split(':');
  if (!UUID.test(uuid)) fail(`${member}: ${uuid} is not a server uuid`);
  const sets: MysqlGtidSet[] = [];
  let current: { tag: string | null; intervals: [bigint, bigint][] } = { tag: null, intervals: [] };
  const close = () => {
    if (current.intervals.length === 0)
      fail(
        `${member}: ${current.tag === null ? 'no interval after the uuid' : `tag ${current.tag} has no interval`}`,
      );
    sets.push({ uuid: uuid.toLowerCase(), tag: current.tag, intervals: current.intervals });
  };
  for (const part of parts) {
    const interval = INTERVAL.exec(part);
    if (interval) {
      const first = BigInt(interval[1] ?? '0');
      const last = interval[2] === undefined ? first : BigInt(interval[2]);
      if (first < 1n || last < first || last > MYSQL_GNO_MAX) fail(`${member}: bad interval ${part}`);
      current.intervals.push([first, last]);
    } else if (TAG.test(part)) {
      if (current.tag !== null || current.intervals.length > 0) close();
      current = { tag: part.toLowerCase(), intervals: [] };
    } else {
      fail(`${member}: ${JSON.stringify(part)} is neither an interval nor a tag`);
    }
  }
  close();
  return sets;
}
