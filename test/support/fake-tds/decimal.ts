/** An exact decimal on the wire: sign and unsigned magnitude scaled by 10^scale. */
export interface WireDecimal {
  readonly positive: boolean;
  readonly magnitude: bigint;
}

/**
 * Scales a decimal given as text (`-12345678901234567.89`), bigint or number to `scale` digits
 * exactly; refuses text with more fractional digits than the scale.
 */
export function toWireDecimal(value: string | number | bigint, scale: number): WireDecimal {
  if (typeof value === 'bigint')
    return { positive: value >= 0n, magnitude: (value < 0n ? -value : value) * 10n ** BigInt(scale) };
  const text = typeof value === 'number' ? value.toFixed(scale) : value.trim();
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(text);
  if (!m || (m[2] ?? '') + (m[3] ?? '') === '') throw new Error(`fake TDS: "${text}" is not a decimal`);
  const fraction = m[3] ?? '';
  if (fraction.length > scale) throw new Error(`fake TDS: ${text} has more than ${scale} fractional digits`);
  const magnitude = BigInt((m[2] || '0') + fraction.padEnd(scale, '0'));
  return { positive: m[1] !== '-' || magnitude === 0n, magnitude };
}

/** The text of a wire decimal (for parameters the client sent). */
export function formatWireDecimal(decimal: WireDecimal, scale: number): string {
  const digits = decimal.magnitude.toString().padStart(scale + 1, '0');
  const whole = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return decimal.positive ? whole : `-${whole}`;
}
