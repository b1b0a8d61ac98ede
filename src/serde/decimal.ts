/**
 * Exact decimal arithmetic for Connect's Decimal logical type, on bigint: a Decimal is an unscaled
 * integer and a scale, `value = unscaled × 10^-scale`, and its bytes are the unscaled integer in
 * big-endian two's complement (Java's `BigInteger.toByteArray()`), base64-encoded in JSON.
 *
 * Functions throw plain Errors; the serde adds the field path and its error code.
 */

/** Exponents beyond this are refused rather than expanded into megabytes of digits. */
const MAX_EXPONENT = 10_000;

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

interface ParsedDecimal {
  /** All digits, sign applied, decimal point removed. */
  digits: bigint;
  /** Power of ten that `digits` is multiplied by. */
  exponent: number;
}

function parse(text: string): ParsedDecimal {
  const m = DECIMAL_TEXT.exec(text);
  const int = m?.[2] ?? '';
  const frac = m?.[3] ?? '';
  if (m === null || int.length + frac.length === 0) throw new Error(`"${text}" is not a decimal number`);
  const exponent = Number(m[4] ?? 0) - frac.length;
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > MAX_EXPONENT) throw new Error(`"${text}" has an exponent out of range`);
  const magnitude = BigInt(int + frac);
  return { digits: m[1] === '-' ? -magnitude : magnitude, exponent };
}

/** The decimal's text form, from the JS values a Decimal field may hold. */
export function decimalText(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${value} is not a decimal number`);
    return String(value);
  }
  if (typeof value === 'object' && value !== null && 'text' in value && typeof value.text === 'string') return value.text;
  throw new Error(`a decimal must be a string, number or bigint, got ${value === null ? 'null' : typeof value}`);
}

/**
 * The unscaled integer of `text` at `scale`. Widening the scale is exact (1.5 at scale 2 is 150);
 * narrowing it must not drop non-zero digits (1.234 at scale 2 throws), since that would silently
 * change the value.
 */
export function unscaled(text: string, scale: number): bigint {
  const { digits, exponent } = parse(text);
  const shift = exponent + scale;
  if (shift >= 0) {
    if (shift > MAX_EXPONENT) throw new Error(`"${text}" is too large for scale ${scale}`);
    return digits * 10n ** BigInt(shift);
  }
  const divisor = 10n ** BigInt(-shift);
  if (digits % divisor !== 0n) throw new Error(`"${text}" has more than ${scale} decimal places`);
  return digits / divisor;
}

/** `unscaled × 10^-scale` as plain decimal text with exactly `scale` fraction digits (none when scale ≤ 0). */
export function formatDecimal(unscaledValue: bigint, scale: number): string {
  if (scale <= 0) return (unscaledValue * 10n ** BigInt(-scale)).toString();
  const negative = unscaledValue < 0n;
  const digits = (negative ? -unscaledValue : unscaledValue).toString().padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}

/**
 * A number read from JSON (Connect's decimal.format=NUMERIC) as decimal text at the schema's scale,
 * or, if it has more fraction digits than that, at its own scale, so no digit is lost.
 */
export function normalizeDecimal(text: string, scale: number): string {
  try {
    return formatDecimal(unscaled(text, scale), scale);
  } catch {
    const { digits, exponent } = parse(text);
    return formatDecimal(digits, -exponent);
  }
}

/** Java's `BigInteger.toByteArray()`: minimal big-endian two's complement, at least one byte. */
export function toTwosComplement(n: bigint): Buffer {
  let bytes = 1;
  // Smallest width whose signed range holds n.
  while (n >= 1n << BigInt(8 * bytes - 1) || n < -(1n << BigInt(8 * bytes - 1))) bytes++;
  let v = n < 0n ? (1n << BigInt(8 * bytes)) + n : n;
  const out = Buffer.alloc(bytes);
  for (let i = bytes - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Java's `new BigInteger(bytes)`. */
export function fromTwosComplement(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw new Error('a decimal needs at least one byte');
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return (bytes[0] ?? 0) & 0x80 ? v - (1n << BigInt(8 * bytes.length)) : v;
}
