import type { CellValue } from '../../../connectors/mysql-binlog/binlog/cell-decoder.ts';
import type { TortureColumn } from './torture-table.ts';

/**
 * Compares a decoded value with the bytes a text-protocol SELECT returned for the same cell (the
 * server's own rendering, read with time_zone '+00:00'). Returns a description of the difference,
 * or undefined when they agree.
 */
export function cellDiff(col: TortureColumn, cell: CellValue | undefined, raw: Buffer | null): string | undefined {
  if (raw === null) return cell === null ? undefined : `expected NULL, got ${show(cell)}`;
  if (cell === null || cell === undefined) return `expected ${show(raw)}, got ${String(cell)}`;
  const text = raw.toString('utf8');
  switch (col.kind) {
    case 'int':
      return typeof cell === 'number' || typeof cell === 'bigint' ? (BigInt(cell) === BigInt(text) ? undefined : `expected ${text}, got ${cell}`) : `expected a number, got ${show(cell)}`;
    case 'float':
      return typeof cell === 'number' && sameFloat(cell, Math.fround(Number(text))) ? undefined : `expected float ${text}, got ${show(cell)}`;
    case 'double':
      return typeof cell === 'number' && sameFloat(cell, Number(text)) ? undefined : `expected double ${text}, got ${show(cell)}`;
    case 'text':
      return cell === text ? undefined : `expected ${JSON.stringify(text.slice(0, 80))}, got ${show(cell)}`;
    case 'bytes':
    case 'bit':
      return Buffer.isBuffer(cell) && cell.equals(raw) ? undefined : `expected bytes ${raw.toString('hex').slice(0, 80)}, got ${show(cell)}`;
  }
}

/** The same comparison for a Canal string value (Canal prints bytes as ISO-8859-1, BIT as an unsigned integer). */
export function canalDiff(col: TortureColumn, value: string | null | undefined, raw: Buffer | null): string | undefined {
  if (raw === null) return value === null ? undefined : `expected NULL, got ${JSON.stringify(value)}`;
  if (value === null || value === undefined) return `expected ${show(raw)}, got ${String(value)}`;
  const text = raw.toString('utf8');
  switch (col.kind) {
    case 'int':
      return BigInt(value) === BigInt(text) ? undefined : `expected ${text}, got ${value}`;
    case 'float':
      return sameFloat(Math.fround(Number(value)), Math.fround(Number(text))) ? undefined : `expected float ${text}, got ${value}`;
    case 'double':
      return sameFloat(Number(value), Number(text)) ? undefined : `expected double ${text}, got ${value}`;
    case 'text':
      return value === text ? undefined : `expected ${JSON.stringify(text.slice(0, 80))}, got ${JSON.stringify(value.slice(0, 80))}`;
    case 'bytes':
      return value === raw.toString('latin1') ? undefined : `expected bytes ${raw.toString('hex').slice(0, 80)}, got ${Buffer.from(value, 'latin1').toString('hex').slice(0, 80)}`;
    case 'bit': {
      let n = 0n;
      for (const b of raw) n = (n << 8n) | BigInt(b);
      return value === n.toString() ? undefined : `expected ${n}, got ${value}`;
    }
  }
}

/**
 * Bit-exact equality, except that the server prints negative zero as `0`, so a SELECT cannot tell
 * -0 from 0; the binlog keeps the sign (checked separately).
 */
function sameFloat(a: number, b: number): boolean {
  return Object.is(a, b) || (a === 0 && b === 0);
}

function show(v: unknown): string {
  if (Buffer.isBuffer(v)) return `bytes ${v.toString('hex').slice(0, 80)}`;
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 80));
  return String(v);
}
