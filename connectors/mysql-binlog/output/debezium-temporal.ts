/**
 * MySQL temporal text (as the decoders produce it) to Debezium's numeric encodings. Zero and partial
 * zero dates (`0000-00-00`, `2024-00-10`) have no instant: they become null, as in Debezium.
 */
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME_RE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;
const TIME_RE = /^(-)?(\d{2,3}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

const MS_PER_DAY = 86_400_000;

/** Milliseconds since the epoch of a proleptic-Gregorian UTC date-time (years 0-99 included). */
function epochMillis(y: number, m: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

function micros(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Number(fraction.padEnd(6, '0'));
}

/** io.debezium.time.Date: days since 1970-01-01. */
export function dateToEpochDays(text: string): number | null {
  const m = DATE_RE.exec(text);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo === 0 || d === 0) return null;
  return Math.round(epochMillis(y, mo, d) / MS_PER_DAY);
}

/** io.debezium.time.MicroTime: microseconds, negative for negative TIME values. */
export function timeToMicros(text: string): number | null {
  const m = TIME_RE.exec(text);
  if (m === null) return null;
  const v = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1_000_000 + micros(m[5]);
  return m[1] === '-' ? -v : v;
}

/** io.debezium.time.Timestamp (ms) or MicroTimestamp (µs) of a DATETIME, read as UTC. */
export function datetimeToEpoch(text: string, unit: 'ms' | 'us'): number | bigint | null {
  const m = DATETIME_RE.exec(text);
  if (m === null) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo === 0 || d === 0) return null;
  const ms = epochMillis(y, mo, d, Number(m[4]), Number(m[5]), Number(m[6]));
  const us = micros(m[7]);
  if (unit === 'ms') return ms + Math.floor(us / 1000);
  const total = BigInt(ms) * 1000n + BigInt(us);
  return total >= BigInt(Number.MIN_SAFE_INTEGER) && total <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(total) : total;
}

/** io.debezium.time.ZonedTimestamp: ISO-8601 in UTC, `2024-01-02T03:04:05.120Z` (fraction to the column's precision). */
export function timestampToIso(text: string): string | null {
  const m = DATETIME_RE.exec(text);
  if (m === null || Number(m[2]) === 0 || Number(m[3]) === 0) return null;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] !== undefined ? `.${m[7]}` : ''}Z`;
}
