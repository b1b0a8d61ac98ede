/**
 * MySQL's binary DECIMAL (`decimal2bin`): digits in groups of nine per 4 bytes, big-endian, a partial
 * group of the leading integer digits first and of the trailing fraction digits last; the sign is the
 * inverted top bit, and negative numbers have every byte inverted. Decoded to an exact decimal string
 * with exactly `scale` fraction digits, never through a float.
 */
const DIGITS_PER_GROUP = 9;
const BYTES_FOR_DIGITS = [0, 1, 1, 2, 2, 3, 3, 4, 4, 4] as const;

export function decimalBinarySize(precision: number, scale: number): number {
  const intg = precision - scale;
  const intg0 = Math.floor(intg / DIGITS_PER_GROUP);
  const frac0 = Math.floor(scale / DIGITS_PER_GROUP);
  return intg0 * 4 + (BYTES_FOR_DIGITS[intg - intg0 * DIGITS_PER_GROUP] as number) + frac0 * 4 + (BYTES_FOR_DIGITS[scale - frac0 * DIGITS_PER_GROUP] as number);
}

export function decodeDecimal(data: Buffer, precision: number, scale: number): string {
  const intg = precision - scale;
  const intg0 = Math.floor(intg / DIGITS_PER_GROUP);
  const frac0 = Math.floor(scale / DIGITS_PER_GROUP);
  const intg0x = intg - intg0 * DIGITS_PER_GROUP;
  const frac0x = scale - frac0 * DIGITS_PER_GROUP;
  const size = decimalBinarySize(precision, scale);
  if (data.length < size) throw new RangeError(`decoding DECIMAL(${precision},${scale}): need ${size} bytes, got ${data.length}`);
  const b = Buffer.from(data.subarray(0, size));
  const negative = ((b[0] as number) & 0x80) === 0;
  b[0] = (b[0] as number) ^ 0x80;
  if (negative) for (let i = 0; i < size; i++) b[i] = (b[i] as number) ^ 0xff;
  let pos = 0;
  const take = (bytes: number): number => {
    const v = bytes === 0 ? 0 : b.readUIntBE(pos, bytes);
    pos += bytes;
    return v;
  };
  let intPart = '';
  const leading = BYTES_FOR_DIGITS[intg0x] as number;
  if (leading > 0) intPart += String(take(leading));
  for (let i = 0; i < intg0; i++) intPart += String(take(4)).padStart(DIGITS_PER_GROUP, '0');
  let fracPart = '';
  for (let i = 0; i < frac0; i++) fracPart += String(take(4)).padStart(DIGITS_PER_GROUP, '0');
  const trailing = BYTES_FOR_DIGITS[frac0x] as number;
  if (trailing > 0) fracPart += String(take(trailing)).padStart(frac0x, '0');
  intPart = intPart.replace(/^0+/, '') || '0';
  const zero = intPart === '0' && !/[1-9]/.test(fracPart);
  return `${negative && !zero ? '-' : ''}${intPart}${scale > 0 ? `.${fracPart}` : ''}`;
}
