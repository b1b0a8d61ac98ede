/**
 * Temporal values from their binlog encodings to MySQL's own text form (what SELECT prints), with
 * exactly `fsp` fraction digits: `YYYY-MM-DD`, `[-]HHH:MM:SS[.f]`, `YYYY-MM-DD HH:MM:SS[.f]`.
 * TIMESTAMP values are seconds since the epoch in the binlog and are printed in UTC. Zero dates
 * (`0000-00-00`) and partial zero dates (`2024-00-15`) are kept as the server stores them.
 *
 * Encodings (MySQL 5.6.4+ "2" types, also MariaDB's default since 10.1.2):
 * DATETIME2 => 40-bit big-endian with offset 0x8000000000: sign:1 year*13+month:17 day:5 hour:5 minute:6 second:6
 * TIME2     => 24-bit big-endian with offset 0x800000: sign:1 unused:1 hour:10 minute:6 second:6
 * TIMESTAMP2 => seconds:4 big-endian
 * each followed by (fsp+1)/2 big-endian bytes of fraction (units of 10^-(2*bytes) s).
 */

const pad = (n: number | bigint, width: number): string => String(n).padStart(width, '0');

function fraction(micros: number, fsp: number): string {
  if (fsp <= 0) return '';
  return `.${pad(micros, 6).slice(0, fsp)}`;
}

/** Fraction bytes for a given fsp and their scale to microseconds. */
function fractionBytes(fsp: number): { bytes: number; toMicros: number } {
  if (fsp <= 0) return { bytes: 0, toMicros: 0 };
  if (fsp <= 2) return { bytes: 1, toMicros: 10_000 };
  if (fsp <= 4) return { bytes: 2, toMicros: 100 };
  return { bytes: 3, toMicros: 1 };
}

export function temporal2Size(kind: 'datetime' | 'time' | 'timestamp', fsp: number): number {
  const base = kind === 'datetime' ? 5 : kind === 'time' ? 3 : 4;
  return base + fractionBytes(fsp).bytes;
}

/* DATE => 3 bytes little-endian: day:5 month:4 year:15 (low bits first) */
export function decodeDate(v: number): string {
  return `${pad(v >> 9, 4)}-${pad((v >> 5) & 15, 2)}-${pad(v & 31, 2)}`;
}

export function decodeDatetime2(b: Buffer, offset: number, fsp: number): string {
  const { bytes, toMicros } = fractionBytes(fsp);
  const intPart = b.readUIntBE(offset, 5) - 0x8000000000;
  const micros = bytes === 0 ? 0 : b.readUIntBE(offset + 5, bytes) * toMicros;
  const ymdhms = intPart;
  const ymd = Math.floor(ymdhms / 2 ** 17);
  const ym = Math.floor(ymd / 2 ** 5);
  const hms = ymdhms % 2 ** 17;
  const year = Math.floor(ym / 13);
  const month = ym % 13;
  const day = ymd % 32;
  const hour = Math.floor(hms / 2 ** 12);
  const minute = Math.floor(hms / 2 ** 6) % 64;
  const second = hms % 64;
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)} ${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction(micros, fsp)}`;
}

/**
 * TIME2: the integer part and fraction form one signed fixed-point number; for negative values with
 * a fraction, the stored integer part is one less and the fraction is its complement, which is what
 * `my_time_packed_from_binary` undoes.
 */
export function decodeTime2(b: Buffer, offset: number, fsp: number): string {
  const { bytes, toMicros } = fractionBytes(fsp);
  let packed: bigint;
  if (bytes === 3) {
    packed = BigInt(b.readUIntBE(offset, 6)) - 0x800000000000n;
  } else {
    let intPart = b.readUIntBE(offset, 3) - 0x800000;
    let frac = bytes === 0 ? 0 : b.readUIntBE(offset + 3, bytes);
    if (intPart < 0 && frac !== 0) {
      intPart += 1;
      frac -= 2 ** (8 * bytes);
    }
    packed = (BigInt(intPart) << 24n) + BigInt(frac * toMicros);
  }
  const negative = packed < 0n;
  if (negative) packed = -packed;
  const micros = Number(packed % (1n << 24n));
  const hms = Number(packed >> 24n);
  const hour = (hms >> 12) % (1 << 10);
  const minute = (hms >> 6) % 64;
  const second = hms % 64;
  return `${negative ? '-' : ''}${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction(micros, fsp)}`;
}

export function decodeTimestamp2(b: Buffer, offset: number, fsp: number): string {
  const { bytes, toMicros } = fractionBytes(fsp);
  const seconds = b.readUInt32BE(offset);
  const micros = bytes === 0 ? 0 : b.readUIntBE(offset + 4, bytes) * toMicros;
  return formatEpoch(seconds, micros, fsp);
}

/** Seconds since the epoch as UTC `YYYY-MM-DD HH:MM:SS[.f]`; 0 is the zero timestamp. */
export function formatEpoch(seconds: number, micros: number, fsp: number): string {
  if (seconds === 0 && micros === 0) return `0000-00-00 00:00:00${fraction(0, fsp)}`;
  const d = new Date(seconds * 1000);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}${fraction(micros, fsp)}`;
}

/* Pre-5.6.4 TIME => 3 bytes little-endian signed integer HHMMSS */
export function decodeTimeV1(v: number): string {
  const negative = v < 0;
  const a = Math.abs(v);
  return `${negative ? '-' : ''}${pad(Math.floor(a / 10000), 2)}:${pad(Math.floor(a / 100) % 100, 2)}:${pad(a % 100, 2)}`;
}

/* Pre-5.6.4 DATETIME => 8 bytes little-endian integer YYYYMMDDHHMMSS */
export function decodeDatetimeV1(v: bigint): string {
  const s = pad(v, 14);
  return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)} ${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}`;
}

/**
 * Packed temporal values inside MySQL binary JSON (opaque DATE/TIME/DATETIME/TIMESTAMP): a signed
 * 64-bit integer, (integer part << 24) | microseconds, as `TIME_from_longlong_*_packed` reads it.
 */
export function decodePackedDatetime(packed: bigint, dateOnly: boolean): string {
  const negative = packed < 0n;
  const v = negative ? -packed : packed;
  const micros = Number(v % (1n << 24n));
  const ymdhms = Number(v >> 24n);
  const ymd = Math.floor(ymdhms / 2 ** 17);
  const ym = Math.floor(ymd / 32);
  const hms = ymdhms % 2 ** 17;
  const date = `${pad(Math.floor(ym / 13), 4)}-${pad(ym % 13, 2)}-${pad(ymd % 32, 2)}`;
  if (dateOnly) return date;
  const time = `${pad(Math.floor(hms / 4096), 2)}:${pad(Math.floor(hms / 64) % 64, 2)}:${pad(hms % 64, 2)}`;
  return `${date} ${time}${micros > 0 ? `.${pad(micros, 6)}` : ''}`;
}

export function decodePackedTime(packed: bigint): string {
  const negative = packed < 0n;
  const v = negative ? -packed : packed;
  const micros = Number(v % (1n << 24n));
  const hms = Number(v >> 24n);
  return `${negative ? '-' : ''}${pad((hms >> 12) % 1024, 2)}:${pad((hms >> 6) % 64, 2)}:${pad(hms % 64, 2)}${micros > 0 ? `.${pad(micros, 6)}` : ''}`;
}
