/** Model LSNs: a counter n as `00000029` + n in 8 hex digits + `0001` (binary(10), big-endian). */
export function lsnOf(n: number): Buffer {
  return Buffer.from(`00000029${n.toString(16).padStart(8, '0')}0001`, 'hex');
}

/** The counter of a model LSN. */
export function counterOf(lsn: Buffer): number {
  return Number.parseInt(lsn.subarray(4, 8).toString('hex'), 16);
}

/** `sys.dm_db_log_stats.log_end_lsn`'s text form of an LSN: `0000002b:000004d8:0004`. */
export function logText(lsn: Buffer): string {
  const hex = lsn.toString('hex');
  return `${hex.slice(0, 8)}:${hex.slice(8, 16)}:${hex.slice(16)}`;
}

/** A seqval: the statement's sequence within the model's whole log. */
export function seqvalOf(n: number): Buffer {
  return Buffer.from(n.toString(16).padStart(20, '0'), 'hex');
}

/** The statement number of a model seqval. */
export function seqvalNumber(seqval: Buffer): number {
  return Number.parseInt(seqval.toString('hex'), 16);
}
