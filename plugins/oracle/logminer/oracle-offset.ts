import { offsetValidator } from '../../../core/plugin/kit.js';
import { compareScn, isScn, padScn, stripZeros } from './scn.js';

/**
 * A position in Oracle's history, written `<SCN, 20 digits>[:<XID, 16 upper-case hex>][;from=<resume SCN, 20 digits>]`:
 * - `00000000000003118146:02001F00C0020000` — a change's `commitOffset`: the transaction XID
 *   committed at SCN 3118146;
 * - `00000000000003118146:02001F00C0020000;from=00000000000003118125` — a checkpoint after that
 *   transaction: mining resumes at SCN 3118125 (the oldest transaction then open), skipping what
 *   is at or before the checkpoint;
 * - `00000000000003081987;from=00000000000003081950` — a position between transactions: the
 *   snapshot's `startOffset` (flashback SCN 3081987) or an idle checkpoint.
 * String order is history order: SCNs are fixed width; transactions committing at one SCN are
 * released in XID order and their fixed-width XIDs sort so; `;` sorts after `:`, so `S;from=…`
 * follows every commit at S (a commit at the flashback SCN is in the snapshot, as `AS OF SCN S`
 * shows it); a checkpoint sorts right after its transaction's `commitOffset`. The resume SCN
 * never exceeds the SCN. A bare SCN is refused: it would not say where mining resumes.
 */
export interface OracleOffset {
  /** Commit SCN, or the SCN of a position between transactions (decimal, no leading zeros). */
  readonly scn: string;
  /** The transaction committed at `scn`, for a commit offset or checkpoint. */
  readonly xid?: string;
  /** Where mining restarts (inclusive): every transaction not yet applied started at or after it. */
  readonly resumeScn?: string;
}

const OFFSET = /^(\d{20})(?::([0-9A-F]{16}))?(?:;from=(\d{20}))?$/;
const EXAMPLE = '00000000000003118146:02001F00C0020000;from=00000000000003118125';

export function formatOffset(offset: OracleOffset): string {
  for (const scn of [offset.scn, offset.resumeScn]) {
    if (scn !== undefined && !isScn(scn)) throw new RangeError(`${JSON.stringify(scn)} is not an Oracle SCN`);
  }
  if (offset.xid !== undefined && !/^[0-9A-Fa-f]{16}$/.test(offset.xid)) {
    throw new RangeError(`${JSON.stringify(offset.xid)} is not an Oracle XID (16 hex digits)`);
  }
  if (offset.xid === undefined && offset.resumeScn === undefined) {
    throw new RangeError('an Oracle offset without a transaction needs a resume SCN');
  }
  if (offset.resumeScn !== undefined && compareScn(offset.resumeScn, offset.scn) > 0) {
    throw new RangeError(`resume SCN ${offset.resumeScn} is after SCN ${offset.scn}`);
  }
  const xid = offset.xid === undefined ? '' : `:${offset.xid.toUpperCase()}`;
  const from = offset.resumeScn === undefined ? '' : `;from=${padScn(offset.resumeScn)}`;
  return `${padScn(offset.scn)}${xid}${from}`;
}

/** Reads an offset made by `formatOffset`; anything else throws a RangeError showing the form. */
export function parseOffset(text: string): OracleOffset {
  const match = typeof text === 'string' ? OFFSET.exec(text) : null;
  if (match === null) {
    throw new RangeError(
      `malformed Oracle offset ${JSON.stringify(text)}: expected <SCN, 20 digits>[:<XID, 16 upper-case hex digits>]` +
        `[;from=<resume SCN, 20 digits>] with at least the XID or from, e.g. ${EXAMPLE}`,
    );
  }
  const [, scn, xid, from] = match as unknown as [string, string, string | undefined, string | undefined];
  if (xid === undefined && from === undefined) {
    throw new RangeError(
      `Oracle offset ${text} names neither a transaction nor a resume SCN (;from=…), e.g. ${EXAMPLE}`,
    );
  }
  for (const value of [scn, from]) {
    if (value !== undefined && !isScn(value))
      throw new RangeError(`Oracle offset ${text}: ${value} exceeds the largest SCN`);
  }
  if (from !== undefined && compareScn(from, scn) > 0) {
    throw new RangeError(`Oracle offset ${text}: the resume SCN (from=) must not be after the SCN`);
  }
  return {
    scn: stripZeros(scn),
    ...(xid === undefined ? {} : { xid }),
    ...(from === undefined ? {} : { resumeScn: stripZeros(from) }),
  };
}

/** History order of two offsets (the order of their strings): negative, zero or positive. */
export function compareOffsets(a: string, b: string): number {
  const left = formatOffset(parseOffset(a));
  const right = formatOffset(parseOffset(b));
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Whether the transaction `xid` committed at `commitScn` is at or before `checkpoint` (already applied). */
export function isAtOrBefore(commitScn: string, xid: string, checkpoint: string): boolean {
  return formatOffset({ scn: commitScn, xid }) <= formatOffset(parseOffset(checkpoint));
}

/**
 * The offset for a SynchDB/Debezium LogMiner offset (`{"commit_scn":"3118146:1:02001f00c0020000",
 * "scn":"3118125"}`): the last transaction committed at the commit SCN (highest XID, since ours
 * go in XID order) with `scn` as resume SCN; without `commit_scn`, the position `scn`. More than
 * one redo thread (RAC) is refused.
 */
export function fromDebeziumOffset(offset: { readonly scn?: string; readonly commit_scn?: string }): string {
  if (offset.scn === undefined || !isScn(offset.scn))
    throw new RangeError('a Debezium Oracle offset needs "scn"');
  if (offset.commit_scn === undefined || offset.commit_scn === '') {
    return formatOffset({ scn: offset.scn, resumeScn: offset.scn });
  }
  const threads = offset.commit_scn.split(',');
  if (threads.length > 1)
    throw new RangeError('Debezium offsets of more than one redo thread (RAC) are not supported');
  const [scn = '', , xids = ''] = (threads[0] as string).split(':');
  if (!isScn(scn)) {
    throw new RangeError(
      `Debezium commit_scn ${JSON.stringify(offset.commit_scn)} is not <scn>:<thread>:<xid>`,
    );
  }
  const last = xids
    .split('-')
    .filter((xid) => xid !== '')
    .map((xid) => xid.toUpperCase())
    .sort()
    .at(-1);
  const resumeScn = compareScn(offset.scn, scn) <= 0 ? offset.scn : scn;
  return formatOffset({ scn, resumeScn, ...(last === undefined ? {} : { xid: last }) });
}

/** The plugin's `validateOffset`: null for a well-formed offset, else what one looks like. */
export const validateOffset = offsetValidator(parseOffset);
