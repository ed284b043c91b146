/**
 * System change numbers as decimal strings (they exceed 2^53). Oracle's SCN is at most 8 bytes,
 * so 20 digits always suffice.
 */
export const SCN_DIGITS = 20;
const SCN = /^\d{1,20}$/;
const MAX_SCN = 18_446_744_073_709_551_615n;

/** Whether `text` is a decimal SCN within Oracle's 8-byte range. */
export function isScn(text: string): boolean {
  return SCN.test(text) && BigInt(text) <= MAX_SCN;
}

/** Compares two decimal SCNs numerically (leading zeros allowed): negative, zero or positive. */
export function compareScn(a: string, b: string): number {
  const left = stripZeros(a);
  const right = stripZeros(b);
  if (left.length !== right.length) return left.length - right.length;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The smaller of two SCNs. */
export function minScn(a: string, b: string): string {
  return compareScn(a, b) <= 0 ? a : b;
}

/** An SCN zero-padded to 20 digits, so string order is numeric order. */
export function padScn(scn: string): string {
  return stripZeros(scn).padStart(SCN_DIGITS, '0');
}

/** An SCN without leading zeros (`0` stays `0`). */
export function stripZeros(scn: string): string {
  let start = 0;
  while (start < scn.length - 1 && scn[start] === '0') start++;
  return scn.slice(start);
}
