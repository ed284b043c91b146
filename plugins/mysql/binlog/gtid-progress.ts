import { GtidSet } from '@vlasky/zongji';

/**
 * The GTID state an offset carries, advanced by each committed transaction's GTID:
 * - MariaDB (`domain-server-seq`): the last transaction of each replication domain, as
 *   `@@gtid_binlog_pos` shows it; exact from the first commit of each domain on.
 * - MySQL (`uuid:n`): the executed set; tracked only when the start offset had one, since a set
 *   cannot be rebuilt from the transactions seen since.
 */
export class GtidProgress {
  private mariadb = new Map<string, string>();
  private mysql: GtidSet | undefined;

  constructor(start: string | undefined) {
    if (!start) return;
    if (start.includes(':')) this.mysql = GtidSet.parse(start);
    else for (const gtid of start.split(',')) this.mariadb.set(domainOf(gtid), gtid);
  }

  /** Records a committed transaction's GTID (undefined for anonymous ones). */
  commit(gtid: string | undefined): void {
    if (!gtid) return;
    if (gtid.includes(':')) this.mysql?.add(gtid);
    else this.mariadb.set(domainOf(gtid), gtid);
  }

  /** The state as offsets write it, or undefined when unknown. */
  toString(): string | undefined {
    if (this.mysql) return this.mysql.toString().replace(/\s/g, '') || undefined;
    if (this.mariadb.size === 0) return undefined;
    return [...this.mariadb.entries()]
      .sort(([a], [b]) => Number(a) - Number(b))
      .map(([, gtid]) => gtid)
      .join(',');
  }
}

function domainOf(gtid: string): string {
  return gtid.trim().split('-')[0] ?? '0';
}
